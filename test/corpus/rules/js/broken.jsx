// Mid-edit: the class body is not closed and a call is cut off.
const pageCache = new Map();

export class Widget {
  history = [];

  render(id) {
    pageCache.set(id, <div>{id}</div>
    this.history.push(id);
    setInterval(() => this.render(id), 1000
  }
