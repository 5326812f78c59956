// Instances subscribing to an emitter of the module (imported or declared at the top): the
// emitter outlives every instance, so a listener that holds the instance keeps it until removed.
import { EventEmitter } from 'events';
import { updates } from './update-feed';

const presence = new EventEmitter();

export class ChartPanel {
  private points: number[] = [];

  constructor(private readonly title: string) {
    updates.on('tick', this.onTick.bind(this)); // expect: handler-not-cleared
    presence.on('leave', () => this.redraw()); // expect: handler-not-cleared
  }

  onTick(value: number): void {
    this.points = [...this.points.slice(-99), value];
  }

  redraw(): void {
    this.points = [];
  }

  dispose(): void {
    this.points = [];
  }
}

// Look-alike: the bound listener is kept and removed when the panel goes.
export class TablePanel {
  private readonly handleTick = (value: number) => this.render(value);

  constructor() {
    updates.on('tick', this.handleTick);
  }

  render(value: number): void {
    console.log(value);
  }

  dispose(): void {
    updates.off('tick', this.handleTick);
  }
}

// Look-alike: a listener that does not hold the instance (a module function) keeps nothing of it.
function logLeave(user: string): void {
  console.log('left', user);
}

export class PresenceLog {
  constructor(private readonly room: string) {
    presence.on('leave', logLeave);
  }
}
