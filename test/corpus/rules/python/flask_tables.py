"""Variants."""
import time
from flask import Flask, request

app = Flask(__name__)
_tokens = {}
_visits = {}
_per_user_events = {}
_SETTINGS = {}
_names = {}

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

@app.route("/login")
def login():
    user = request.args["user"]
    _tokens[user] = time.time()  # expect: unbounded-collection
    return "ok"

def remember_visit(path):
    _visits[path] = _visits.get(path, 0) + 1  # expect: unbounded-collection

@app.route("/visit")
def visit():
    remember_visit(request.path)
    return "ok"

def record_event(user_id, event):
    _per_user_events.setdefault(user_id, []).append(event)  # expect: unbounded-collection

def configure(name, value):
    _SETTINGS[name] = value

def handle_rename(request):
    _names[request.id] = request.name
    _names.pop(request.old_id, None)

