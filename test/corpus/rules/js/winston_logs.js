const winston = require('winston');

const appLogger = winston.createLogger({
  level: 'info',
  transports: [new winston.transports.File({ filename: 'app.log' })], // expect: log-no-rotation
});

const auditLogger = winston.createLogger({
  level: 'info',
  transports: [new winston.transports.File({ filename: 'audit.log', maxsize: 10485760, maxFiles: 5 })],
});

module.exports = { appLogger, auditLogger };
