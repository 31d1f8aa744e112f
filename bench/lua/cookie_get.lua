-- GET with the session cookie from $COOKIE.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
wrk.method = "GET"
wrk.headers["Cookie"] = os.getenv("COOKIE")
