"""Browser tests: a citizen creates an account on a phone, sees their details, signs out and back in."""
import os
import random

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_search import BASE, browser  # noqa: F401  (the fixture)


def fill(browser, fields):
    for name, value in fields.items():
        element = browser.find_element(By.NAME, name)
        if element.get_attribute("type") == "date":
            # Chromium's date input takes the digits as the locale shows them; set the value directly instead.
            browser.execute_script("arguments[0].value = arguments[1]", element, value)
        else:
            element.clear()
            element.send_keys(value)


def test_register_sign_out_and_sign_in_again(browser):
    email = f"lan{random.randrange(10**9)}@example.vn"
    personal_id = "001185" + f"{random.randrange(10**6):06d}"
    browser.get(BASE + "/register")
    fill(browser, {
        "fullName": "Nguyễn Thị Lan", "birthDate": "1985-03-14", "personalID": personal_id,
        "phone": "0912345678", "email": email, "password": "mật khẩu tốt", "passwordConfirmation": "mật khẩu tốt",
    })
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/account"))
    assert "Nguyễn Thị Lan" in browser.page_source
    assert personal_id not in browser.page_source  # masked

    browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "a[href='/login']")))
    browser.get(BASE + "/login")
    fill(browser, {"email": email, "password": "mật khẩu tốt"})
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/account"))
    assert email in browser.page_source


def test_a_wrong_id_is_explained_next_to_its_field(browser):
    browser.get(BASE + "/register")
    fill(browser, {"fullName": "Trần Văn Bình", "birthDate": "1990-01-01", "personalID": "999190012345"})
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    error = WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "personalID-error")))
    assert "999" in error.text
    assert browser.find_element(By.ID, "fullName").get_attribute("value") == "Trần Văn Bình"
