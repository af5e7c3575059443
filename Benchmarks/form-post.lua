-- wrk script for Benchmarks/hardening-load.sh: sign-ins of FORM_ACCOUNTS different accounts (bench0@example.vn …),
-- each from its own address (X-Forwarded-For, believed because the server trusts 127.0.0.1 as a proxy), so the load
-- is many people signing in at once, not one account or one address, which the throttles would rightly stop.
-- Environment: FORM_COOKIE (the anonymous CSRF cookie), FORM_CSRF (its token), FORM_ACCOUNTS, FORM_PASSWORD.
local cookie = os.getenv("FORM_COOKIE") or ""
local csrf = os.getenv("FORM_CSRF") or ""
local accounts = tonumber(os.getenv("FORM_ACCOUNTS") or "64")
local password = os.getenv("FORM_PASSWORD") or ""
local threads = 0
local counter = 0
local id = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local n = (counter * 2 + id) % accounts
  local body = "_csrf=" .. csrf .. "&email=bench" .. n .. "%40example.vn&password=" .. password
  return wrk.format("POST", "/login", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["X-Forwarded-For"] = "198.18." .. math.floor(n / 256) .. "." .. (n % 256),
  }, body)
end
