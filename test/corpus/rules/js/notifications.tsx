// @ts-nocheck -- a sample of user code for the leak rules, not part of this project
// Notification tray: opened and closed many times per session.
import { EventEmitter } from 'node:events';
import React, { useEffect, useState } from 'react';

export function Tray({ onClose }: { onClose: () => void }) {
  const [open, setOpen] = useState(true);

  useEffect(() => {
    document.addEventListener('keydown', (e: KeyboardEvent) => { // expect: handler-not-cleared
      if (e.key === 'Escape') onClose();
    });
  }, []);

  useEffect(() => {
    const onResize = () => setOpen(window.innerWidth > 600);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  return open ? <ul className="tray" /> : null;
}

export class Feed extends EventEmitter {
  stream(req, res) {
    res.setHeader('Content-Type', 'text/event-stream');
    this.on('item', (item) => res.write(`data: ${JSON.stringify(item)}\n\n`)); // expect: handler-not-cleared
  }
}

export class Uploader {
  constructor(private readonly dir: string) {
    process.on('SIGTERM', () => this.flush()); // expect: handler-not-cleared
  }

  flush(): void {
    console.log('flushing', this.dir);
  }
}
