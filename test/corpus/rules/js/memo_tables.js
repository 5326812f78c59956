'use strict';
const crypto = require('crypto');

const signatures = new Map();
const byTenant = {};
const PLANS = new Map();

function helperA(x) {
  return x + 1;
}

function helperB(x) {
  return x * 2;
}

function sign(url, key) {
  const id = url + key;
  if (signatures.has(id)) return signatures.get(id);
  const value = crypto.createHmac('sha256', key).update(url).digest('hex');
  signatures.set(id, value); // expect: unbounded-collection
  return value;
}

function record(tenant, event) {
  if (!byTenant[tenant]) byTenant[tenant] = []; // expect: unbounded-collection
  byTenant[tenant].push(event);
}

function memoize(fn) {
  const results = new Map();
  return function (arg) {
    if (!results.has(arg)) results.set(arg, fn(arg)); // expect: unbounded-collection
    return results.get(arg);
  };
}

function plan(name) {
  PLANS.set('default', name);
}

const lookups = new Map();
function lookup(host) {
  if (lookups.size > 1000) lookups.clear();
  if (!lookups.has(host)) lookups.set(host, helperA(host.length));
  return lookups.get(host);
}

module.exports = { sign, record, memoize, plan, lookup, helperB };
