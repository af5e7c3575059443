"""Browser tests: a citizen finds a procedure in headless Chromium, as on a phone."""
import os

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("MOTCUA_BASE_URL", "http://127.0.0.1:8080")


@pytest.fixture
def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    # A cheap phone's screen: headless windows cannot be narrower than 500 px, an emulated device can.
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2}})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_typing_without_diacritics_finds_birth_registration(browser):
    browser.get(BASE + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("dang ky khai sinh")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "ol.results li")))
    first = browser.find_element(By.CSS_SELECTOR, "ol.results li h2 a")
    assert first.text == "Thủ tục đăng ký khai sinh"
    first.click()
    WebDriverWait(browser, 15).until(EC.url_contains("/procedures/1.001193"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thủ tục đăng ký khai sinh"
    assert "1.001193" in browser.find_element(By.CSS_SELECTOR, "dd.code").text


def test_the_page_fits_a_narrow_phone_screen(browser):
    browser.get(BASE + "/procedures?q=khai+sinh")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    viewport = browser.execute_script("return window.innerWidth")
    assert width <= viewport, f"page is {width}px wide on a {viewport}px screen"


def test_the_language_switch_shows_english(browser):
    browser.get(BASE + "/")
    browser.find_element(By.CSS_SELECTOR, "a[hreflang='en']").click()
    WebDriverWait(browser, 15).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Find"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
