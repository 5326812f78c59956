/* global angular */
// AngularJS controllers run once per view; the services injected into them live as long as the app.
angular.module('dashboard')
  .controller('StatsController', ['$scope', 'Socket', 'Stats', function ($scope, Socket, Stats) {
    function onStats(stats) {
      $scope.stats = stats;
    }
    var init = function () {
      Socket.on('stats', onStats); // expect: handler-not-cleared
      Socket.join('stats');
    };
    init();
  }])
  .controller('FeedController', ['$scope', 'Socket', function ($scope, Socket) {
    Socket.on('feed', function (items) { // expect: handler-not-cleared
      $scope.items = items;
    });
    // Commented out, so it removes nothing:
    // Socket.removeAllListeners('feed');
  }])
  .controller('AlertsController', ['$scope', 'Socket', function ($scope, Socket) {
    Socket.on('alerts', function (alerts) {
      $scope.alerts = alerts;
    });
    Socket.on('stats', function (stats) { // expect: handler-not-cleared
      $scope.stats = stats;
    });
    // Takes back the alerts listener only.
    $scope.$on('$destroy', function () {
      Socket.removeAllListeners('alerts');
    });
  }])
  // Look-alike: removed when the view is destroyed.
  .controller('UsersController', ['$scope', 'Socket', function ($scope, Socket) {
    function onUsers(users) {
      $scope.users = users;
    }
    Socket.on('users', onUsers);
    $scope.$on('$destroy', function () {
      Socket.off('users', onUsers);
    });
  }])
  // Look-alike: listeners on the view's own scope and element go with the view.
  .directive('autoSize', function () {
    return {
      link: function ($scope, element) {
        element.on('input', function () {
          element.css('height', element.prop('scrollHeight') + 'px');
        });
        $scope.$on('reset', function () {
          element.css('height', '');
        });
      },
    };
  });
