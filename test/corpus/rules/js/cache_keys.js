// Caches named as such: growth needs a key that comes from outside per call.

const configCache = {};
const modeCache = new Map();
const fileCache = new Map();
const tickCache = {};

// A fixed key the code names: one entry however often it runs.
function loadConfig() {
  configCache.settings = process.env.APP_SETTINGS || '';
  configCache['settings'] = configCache.settings.trim();
  return configCache.settings;
}

// Keyed by a constant: one entry.
function setMode() {
  modeCache.set('current', process.env.MODE || 'dev');
}

// Every path a caller passes adds an entry, through the loop variable.
function warmFiles(paths) {
  for (const path of paths) {
    fileCache.set(path, require('fs').statSync(path)); // expect: unbounded-cache
  }
}

// Keyed by the clock: a new entry per call.
function tick(value) {
  tickCache[Date.now()] = value; // expect: unbounded-cache
}

module.exports = { loadConfig, setMode, warmFiles, tick };
