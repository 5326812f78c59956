// @ts-nocheck -- a sample of user code for the leak rules, not part of this project
// Dashboard widgets.
import React, { useEffect, useState } from 'react';
import { fetchPrice } from './api';

export function Clock() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    setInterval(() => setNow(Date.now()), 1_000); // expect: timer-not-cleared
  }, []);
  return <span className="clock">{new Date(now).toLocaleTimeString()}</span>;
}

export function Ticker({ symbol }: { symbol: string }) {
  const [price, setPrice] = useState(0);
  useEffect(() => {
    const id = setInterval(() => {
      void fetchPrice(symbol).then(setPrice);
    }, 5_000);
    return () => clearInterval(id);
  }, [symbol]);
  return <b>{price.toFixed(2)}</b>;
}

export class ResizablePanel extends React.Component<{ title: string }> {
  private onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') this.setState({ open: false });
  };

  componentDidMount() {
    document.addEventListener('keydown', this.onKey);
  }

  componentWillUnmount() {
    document.removeEventListener('keydown', this.onKey);
  }

  handleOpen() {
    window.addEventListener('resize', () => this.forceUpdate()); // expect: handler-not-cleared
  }

  render() {
    return (
      <section onClick={() => this.handleOpen()}>
        <h2>{this.props.title}</h2>
      </section>
    );
  }
}
