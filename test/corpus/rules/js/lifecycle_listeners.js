// Listeners added from an object with a lifecycle: a teardown that takes back some of its
// subscriptions, and members a framework runs on every update.

// A plugin view: its destroy() unsubscribes from the awareness but leaves the editor's listeners.
export const cursorPlugin = (awareness) => ({
  view: (view) => {
    const onChange = () => render(view);
    const onFocus = () => awareness.setLocal({ focused: true });
    awareness.on('change', onChange);
    view.dom.addEventListener('focusin', onFocus); // expect: handler-not-cleared
    return {
      destroy: () => {
        awareness.off('change', onChange);
      },
    };
  },
});

// The same view taking both back (quiet).
export const tidyCursorPlugin = (awareness) => ({
  view: (view) => {
    const onChange = () => render(view);
    const onFocus = () => awareness.setLocal({ focused: true });
    awareness.on('change', onChange);
    view.dom.addEventListener('focusin', onFocus);
    return {
      destroy: () => {
        awareness.off('change', onChange);
        view.dom.removeEventListener('focusin', onFocus);
      },
    };
  },
});

// A panel whose teardown removes its window listener but not the handlers on the list it was
// given, and one whose teardown reaches their removal through a helper (quiet).
export class Dropdown {
  constructor(list) {
    this.list = list;
    $(window).on('resize', this.onResize);
    this.bindItems();
  }

  bindItems() {
    $(this.list).find('li').mousedown(() => this.select()); // expect: handler-not-cleared
  }

  unbindItems() {
    $(this.list).find('li').off('mousedown');
  }

  destroy() {
    $(window).off('resize', this.onResize);
  }
}

export class TidyDropdown {
  constructor(list) {
    this.list = list;
    $(window).on('resize', this.onResize);
    this.bindItems();
  }

  bindItems() {
    $(this.list).find('li').mousedown(() => this.select());
  }

  unbindItems() {
    $(this.list).find('li').off('mousedown');
  }

  destroy() {
    $(window).off('resize', this.onResize);
    this.unbindItems();
  }
}

// A chart that attaches its handlers again on every props update.
export class Chart extends React.Component {
  draw = async (props) => {
    this.plot = await plotly.react(this.plot, props.data);
    this.attachListeners();
  };

  attachListeners() {
    this.plot.on('plotly_click', this.props.onClick); // expect: handler-not-cleared
  }

  componentWillReceiveProps(next) {
    this.draw(next);
  }
}

// The same chart taking the earlier handler back first (quiet).
export class TidyChart extends React.Component {
  draw = async (props) => {
    this.plot = await plotly.react(this.plot, props.data);
    this.attachListeners();
  };

  attachListeners() {
    this.plot.removeAllListeners('plotly_click');
    this.plot.on('plotly_click', this.props.onClick);
  }

  componentWillReceiveProps(next) {
    this.draw(next);
  }
}

// A widget on the element it made itself: the listeners go with the element (quiet).
export class Badge {
  constructor(bus) {
    this.bus = bus;
    this.el = document.createElement('span');
    this.onClick = () => this.bus.emit('badge');
    this.el.addEventListener('click', this.onClick);
    this.bus.on('reset', this.reset);
  }

  destroy() {
    this.bus.off('reset', this.reset);
  }
}
