-- POST /api/auth/sign-in/email as one of $USERS seeded users (bench-<n>@example.com).
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local users = tonumber(os.getenv("USERS"))
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = string.format('{"email":"bench-%d@example.com","password":"violet staple gorilla"}', counter % users)
  return wrk.format(nil, nil, nil, body)
end
