-- wrk script: every request is the same form POST, with a cookie. For Benchmarks/hardening-load.sh's sign-ins.
-- Usage: wrk -s form-post.lua URL -- PATH 'COOKIE' 'BODY'
local path, cookie, body

function init(args)
  path, cookie, body = args[1], args[2], args[3]
end

function request()
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end
