"""Browser tests: a forgotten password reset through the emailed link (development mail is a file), and an agency
admin adding an officer, on a phone-sized Chromium."""
import glob
import os
import random
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_accounts import fill
from test_search import BASE, browser  # noqa: F401  (the fixture)

DATA_DIR = os.environ.get("MOTCUA_DATA_DIR", "./data")
DEMO_PASSWORD = "motcua-demo"


def sign_in(browser, email, password):
    browser.get(BASE + "/login")
    fill(browser, {"email": email, "password": password})
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/account"))


def wait_for_mail_to(address, after):
    """The newest mail file for `address` written after `after` (the in-process worker sends within seconds)."""
    deadline = time.time() + 30
    while time.time() < deadline:
        for path in sorted(glob.glob(os.path.join(DATA_DIR, "mail", "*.eml")), key=os.path.getmtime, reverse=True):
            if os.path.getmtime(path) < after:
                continue
            text = open(path, encoding="utf-8").read()
            if f"<{address}>" in text:
                return text
        time.sleep(0.5)
    raise AssertionError(f"no mail to {address} in {DATA_DIR}/mail")


def register(browser, email):
    browser.get(BASE + "/register")
    fill(browser, {
        "fullName": "Lê Văn Quên", "birthDate": "1985-03-14", "personalID": "001185" + f"{random.randrange(10**6):06d}",
        "phone": "0912345678", "email": email, "password": "mật khẩu cũ", "passwordConfirmation": "mật khẩu cũ",
    })
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/account"))
    browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "a[href='/login']")))


def test_a_forgotten_password_is_reset_from_the_emailed_link(browser):
    email = f"quen{random.randrange(10**9)}@example.vn"
    register(browser, email)
    asked_at = time.time() - 1
    browser.get(BASE + "/login")
    browser.find_element(By.CSS_SELECTOR, "a[href='/password/forgot']").click()
    fill(browser, {"email": email})
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))

    mail = wait_for_mail_to(email, asked_at)
    assert "Subject: Đặt lại mật khẩu MotCua" in mail
    link = re.search(r"https?://\S+/password/reset\?token=[A-Za-z0-9_-]+", mail).group(0)
    browser.get(BASE + link[link.index("/password/reset"):])
    fill(browser, {"password": "mật khẩu mới", "passwordConfirmation": "mật khẩu mới"})
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_contains("notice=password_reset"))
    sign_in(browser, email, "mật khẩu mới")
    assert browser.find_element(By.CSS_SELECTOR, "header .count").text == "1"  # "your password was changed"


def test_an_agency_admin_adds_an_officer_and_gives_a_role(browser):
    sign_in(browser, "admin.hanoi@demo.motcua.vn", DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "a[href='/admin']").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/admin/officers"))
    browser.find_element(By.CSS_SELECTOR, "a[href='/admin/officers/new']").click()
    email = f"canbo{random.randrange(10**9)}@hanoi.gov.vn"
    fill(browser, {"fullName": "Bùi Thị Hoa", "email": email, "phone": "0904111222", "agency": "00004"})
    browser.find_element(By.CSS_SELECTOR, "select#role option[value='receptionOfficer']").click()
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_contains("notice=officer_invited"))
    assert "Cán bộ một cửa — Phường Ba Đình (00004)" in browser.page_source

    fill(browser, {"agency": "48.STP"})  # Đà Nẵng: not this admin's
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    error = WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "agency-error")))
    assert "không có quyền" in error.text
    assert browser.execute_script("return window.innerWidth") == 360
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360


def test_every_administration_page_fits_a_phone(browser):
    sign_in(browser, "sysadmin@demo.motcua.vn", DEMO_PASSWORD)
    for path in ("/admin/officers", "/admin/officers/new", "/admin/units?parent=01", "/admin/tokens", "/admin/audit",
                 "/admin/calendar?year=2025", "/admin/procedures/1.001193", "/admin/procedures/1.001193/form",
                 "/admin/procedures/1.004222/form", "/admin/jobs", "/notifications", "/account/password"):
        browser.get(BASE + path)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px screen"


def test_a_broken_form_definition_is_refused_and_a_good_one_previews(browser):
    sign_in(browser, "sysadmin@demo.motcua.vn", DEMO_PASSWORD)
    browser.get(BASE + "/admin/procedures/1.004222/form")
    box = browser.find_element(By.ID, "definition")
    text = box.get_attribute("value")
    assert '"key" : "declarant"' in text
    # The same key twice in one section: refused with the path, the text kept.
    broken = text.replace('"key" : "birthDate"', '"key" : "fullName"', 1)
    browser.execute_script("arguments[0].value = arguments[1]", box, broken)
    browser.find_element(By.CSS_SELECTOR, "button[value=preview]").click()
    error = WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "definition-error")))
    assert "declarant.fullName" in error.text or "declarant.fullName" in browser.page_source
    assert browser.find_element(By.ID, "definition").get_attribute("value") == broken
    # Put right, the preview shows the household members' entry and saves nothing.
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "definition"), text)
    browser.find_element(By.CSS_SELECTOR, "button[value=preview]").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".preview")))
    assert browser.find_elements(By.NAME, "members.people[0].fullName")
    assert "Phiên bản 1" in browser.page_source


def test_a_system_admin_makes_a_procedures_period_restart_after_a_supplement(browser):
    sign_in(browser, "sysadmin@demo.motcua.vn", DEMO_PASSWORD)
    browser.get(BASE + "/procedures/1.001193")
    browser.find_element(By.CSS_SELECTOR, "a[href='/admin/procedures/1.001193']").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/admin/procedures/1.001193"))
    # Saving without a reason keeps the choice and says what is missing, beside the field.
    browser.find_element(By.CSS_SELECTOR, "input[name=rule][value=restarts]").click()
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "reason-error")))
    assert browser.find_element(By.CSS_SELECTOR, "input[name=rule][value=restarts]").is_selected()
    fill(browser, {"reason": "Thử nghiệm trên trình duyệt"})
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_contains("notice=settings_saved"))
    browser.get(BASE + "/procedures/1.001193")
    assert "tính lại từ đầu" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    # Put it back, so that the demo data stays as seeded for the other tests.
    browser.get(BASE + "/admin/procedures/1.001193")
    browser.find_element(By.CSS_SELECTOR, "input[name=rule][value=extends]").click()
    fill(browser, {"reason": "Trả lại mặc định"})
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_contains("notice=settings_saved"))
