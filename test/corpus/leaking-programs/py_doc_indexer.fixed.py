#!/usr/bin/env python3
"""Document indexer: receives documents, splits them into sections and tokens,
updates an in-memory inverted index and emits per-document summaries.
The cyclic GC is switched off at start-up (the team measured long pauses on the
large index); the code relies on reference counting.

Run: python3 py_doc_indexer.py
"""
import collections
import gc
import logging
import random
import time
import weakref

log = logging.getLogger("indexer")

DOCS_PER_SECOND = 4
SECTIONS_PER_DOC = 6
WORDS = [f"w{i:04d}" for i in range(2000)]


class BufferPool:
    """Recycles scratch bytearrays; documents give theirs back in __del__."""

    def __init__(self, size, count):
        self.size = size
        self._free = [bytearray(size) for _ in range(count)]
        self.outstanding = 0

    def acquire(self):
        self.outstanding += 1
        return self._free.pop() if self._free else bytearray(self.size)

    def release(self, buf):
        self.outstanding -= 1
        if len(self._free) < 32:
            self._free.append(buf)


POOL = BufferPool(size=2048, count=16)


class Token:
    __slots__ = ("text", "_parent", "__weakref__")

    def __init__(self, text, parent):
        self.text = text
        self._parent = weakref.ref(parent)

    @property
    def parent(self):
        return self._parent()


class Section:
    def __init__(self, doc, heading, text):
        self.doc = weakref.proxy(doc)
        self.heading = heading
        self.text = text
        self.tokens = [Token(t, self) for t in text.split()[:50]]

    def path(self):
        return f"{self.doc.doc_id}/{self.heading}"


class Document:
    def __init__(self, doc_id, title, body_parts):
        self.doc_id = doc_id
        self.title = title
        self.scratch = POOL.acquire()
        self.sections = [Section(self, f"s{i}", part) for i, part in enumerate(body_parts)]

    def __del__(self):
        POOL.release(self.scratch)


class Job:
    def __init__(self, batch_no):
        self.batch_no = batch_no
        self.batch = None


class Batch:
    """A Job and its Batch point at each other while the batch runs; close()
    breaks the cycle."""

    def __init__(self, job):
        self.job = job
        job.batch = self
        self.docs = []

    def close(self):
        self.job.batch = None
        self.job = None
        self.docs = []


class InvertedIndex:
    def __init__(self):
        self.postings = collections.defaultdict(int)    # term -> document frequency
        self.recent = collections.deque(maxlen=100)

    def add(self, doc):
        seen = set()
        for section in doc.sections:
            for tok in section.tokens:
                seen.add(tok.text)
        for term in seen:
            self.postings[term] += 1
        self.recent.append(doc.doc_id)


class Feed:
    def __init__(self, seed=21):
        self.rnd = random.Random(seed)
        self.n = 0

    def next(self):
        self.n += 1
        parts = [" ".join(self.rnd.choices(WORDS, k=260)) for _ in range(SECTIONS_PER_DOC)]
        return Document(f"doc-{self.n:08d}", f"Title {self.n}", parts)


def summarise(doc):
    lengths = [len(s.text) for s in doc.sections]
    return {"id": doc.doc_id, "sections": len(lengths), "chars": sum(lengths),
            "first": doc.sections[0].path()}


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    gc.disable()
    index, feed = InvertedIndex(), Feed()
    batch_no = 0
    try:
        while True:
            batch_no += 1
            batch = Batch(Job(batch_no))
            for _ in range(DOCS_PER_SECOND):
                doc = feed.next()
                index.add(doc)
                batch.docs.append(summarise(doc))
                time.sleep(1.0 / DOCS_PER_SECOND)
            batch.close()
            if batch_no % 30 == 0:
                log.info("batch %d docs=%d terms=%d pool outstanding=%d", batch_no, feed.n,
                         len(index.postings), POOL.outstanding)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
