// Object-literal components with no teardown that takes listeners back: a listener added by a
// member other than set-up, to a target from outside, with no removal anywhere in the file, is
// added again each time that member runs.
const Tooltip = Component.extend({
  init(owner) {
    owner.on('ready', () => this.show());
  },

  hoverOver(target) {
    target.addEventListener('mouseleave', () => this.close()); // expect: handler-not-cleared
  },

  // Look-alikes: removed before it is added; removed somewhere in the file.
  pin(anchor) {
    $(anchor).off('scroll').on('scroll', () => this.reposition());
  },

  follow(scroller) {
    scroller.addEventListener('wheel', this.onWheel);
  },

  unfollow(scroller) {
    scroller.removeEventListener('wheel', this.onWheel);
  },

  close() {},
  show() {},
  reposition() {},
  onWheel() {},
});

module.exports = { Tooltip };
