-- POST /api/auth/sign-up/email with a new email every time.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local counter = 0
local prefix
setup = function(thread)
  thread:set("thread_id", tostring(math.random(1, 1e9)))
end
init = function()
  prefix = (thread_id or tostring(math.random(1, 1e9))) .. "-" .. tostring(os.time())
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = string.format(
    '{"name":"Bench","email":"new-%s-%d@example.com","password":"violet staple gorilla"}', prefix, counter)
  return wrk.format(nil, nil, nil, body)
end
