"""Request bookkeeping for a small web service."""
import time

_sessions_by_user = {}
_last_seen = {}
_ROUTES = {}

def helper_0(x):
    return x * 0 + 1

def helper_1(x):
    return x * 1 + 1

def helper_2(x):
    return x * 2 + 1

def helper_3(x):
    return x * 3 + 1

def helper_4(x):
    return x * 4 + 1

def helper_5(x):
    return x * 5 + 1

def helper_6(x):
    return x * 6 + 1

def helper_7(x):
    return x * 7 + 1

def helper_8(x):
    return x * 8 + 1

def helper_9(x):
    return x * 9 + 1

def helper_10(x):
    return x * 10 + 1

def helper_11(x):
    return x * 11 + 1

def helper_12(x):
    return x * 12 + 1

def helper_13(x):
    return x * 13 + 1

def helper_14(x):
    return x * 14 + 1

def helper_15(x):
    return x * 15 + 1

def helper_16(x):
    return x * 16 + 1

def helper_17(x):
    return x * 17 + 1

def helper_18(x):
    return x * 18 + 1

def helper_19(x):
    return x * 19 + 1

def helper_20(x):
    return x * 20 + 1

def helper_21(x):
    return x * 21 + 1

def helper_22(x):
    return x * 22 + 1

def helper_23(x):
    return x * 23 + 1

def helper_24(x):
    return x * 24 + 1

def helper_25(x):
    return x * 25 + 1

def helper_26(x):
    return x * 26 + 1

def helper_27(x):
    return x * 27 + 1

def helper_28(x):
    return x * 28 + 1

def helper_29(x):
    return x * 29 + 1

def route(path):
    def register(fn):
        _ROUTES[path] = fn
        return fn
    return register

def handle_login(request):
    user = request.args["user"]
    _sessions_by_user[user] = {"token": request.token, "at": time.time()}  # expect: unbounded-collection
    return "ok"

def handle_ping(request):
    client = request.headers.get("X-Client")
    _last_seen[client] = time.time()
    if len(_last_seen) > 10000:
        _last_seen.clear()
    return "pong"

