"""Logging configuration for the worker fleet."""
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from loguru import logger

LOG_DIR = Path(os.environ.get("LOG_DIR", "logs"))


def configure_loguru(worker_id: int) -> None:
    logger.remove()
    logger.add(sys.stderr, level="INFO")
    logger.add(LOG_DIR / f"worker_{worker_id}.log", level="DEBUG", enqueue=True)  # expect: log-no-rotation
    logger.add(LOG_DIR / "errors.log", level="ERROR", rotation="50 MB", retention="7 days")
    logger.add(lambda message: None, level="TRACE")


def configure_stdlib(name: str) -> logging.Logger:
    log = logging.getLogger(name)
    log.setLevel(logging.INFO)
    log.addHandler(logging.FileHandler(LOG_DIR / f"{name}.log"))  # expect: log-no-rotation
    rotating = logging.handlers.RotatingFileHandler(LOG_DIR / f"{name}.debug.log", maxBytes=10 * 1024 * 1024, backupCount=5)
    log.addHandler(rotating)
    timed = logging.handlers.TimedRotatingFileHandler(LOG_DIR / f"{name}.daily.log", when="midnight", backupCount=7)
    log.addHandler(timed)
    log.addHandler(logging.StreamHandler(sys.stdout))
    return log


def configure_root(debug: bool) -> None:
    logging.basicConfig(  # expect: log-no-rotation
        filename=str(LOG_DIR / "root.log"),
        filemode="a",
        level=logging.DEBUG if debug else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


def configure_console() -> None:
    logging.basicConfig(stream=sys.stdout, level=logging.INFO)
