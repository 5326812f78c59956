// Shared by the Node corpus programs: stop after argv[2] seconds (default 60).
'use strict';
exports.runFor = (onTick, everyMs) => {
  const seconds = Number(process.argv[2] ?? 60);
  const timer = setInterval(onTick, everyMs);
  setTimeout(() => clearInterval(timer), seconds * 1000);
};
