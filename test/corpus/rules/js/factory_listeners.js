// A factory (run once) returns a constructor (run per instance) that adds listeners to the
// factory's `$document`: it outlives every instance, so what an instance adds must be removed.
angular.module('crop').factory('dragHost', ['$document', function ($document) {
  return function DragHost(element) {
    var onMove = function (event) {
      element.css('left', event.pageX);
    };
    var onUp = function () {
      element.removeClass('dragging');
    };

    $document.on('mousemove', onMove);
    $document.on('mouseup', onUp); // expect: handler-not-cleared

    this.destroy = function () {
      $document.off('mousemove', onMove);
      // Removes another function: onUp stays.
      $document.off('mouseup', onMove);
    };
  };
}]);

// The instance makes its own emitter under the factory's name: its listeners go with it (quiet).
function makeTicker(events) {
  return function Ticker() {
    var events = new Emitter();
    var onTick = function () {};
    this.events = events;
    events.on('tick', onTick);
  };
}

module.exports = { makeTicker };
