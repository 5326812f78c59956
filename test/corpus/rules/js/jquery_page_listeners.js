// jQuery listeners on the page (window, document, body) added per widget and never unbound.
const $ = require('jquery');

function Slider(container) {
  this.container = container;
  this.dragging = false;
  $('body').mouseup(function () { // expect: handler-not-cleared
    this.dragging = false;
  }.bind(this));
  $(window).on('resize', this.layout.bind(this)); // expect: handler-not-cleared
}

Slider.prototype.layout = function () {
  this.width = this.container.width();
};

class Carousel {
  constructor(element) {
    this.element = element;
    $(window).resize(this.onResize.bind(this)); // expect: handler-not-cleared
  }

  onResize() {
    this.element.width();
  }

  destroy() {
    this.element.remove();
  }
}

class CleanCarousel {
  constructor(element) {
    this.element = element;
    this.onResize = () => this.element.width();
    $(window).resize(this.onResize);
    $(document).bind('keyup', this.onResize);
  }

  destroy() {
    $(window).off('resize', this.onResize);
    $(document).unbind('keyup', this.onResize);
  }
}

// Triggering the event, not listening.
function relayout() {
  $(window).resize();
}

module.exports = { Slider, Carousel, CleanCarousel, relayout };
