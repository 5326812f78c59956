// Audit and access logs for the gateway, one winston logger per concern.
const winston = require('winston');
const { transports, format } = require('winston');

const accessLog = winston.createLogger({
  level: 'info',
  format: format.json(),
  transports: [
    new winston.transports.File({ filename: 'logs/access.log' }), // expect: log-no-rotation
    new winston.transports.Console(),
  ],
});

const auditLog = winston.createLogger({
  transports: [
    new transports.File({ // expect: log-no-rotation
      filename: 'logs/audit.log',
      level: 'warn',
    }),
  ],
});

const errorLog = winston.createLogger({
  transports: [new transports.File({ filename: 'logs/error.log', maxsize: 50 * 1024 * 1024, maxFiles: 5 })],
});

module.exports = { accessLog, auditLog, errorLog };
