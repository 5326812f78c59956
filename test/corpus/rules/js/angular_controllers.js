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

// The root scope outlives every view: its $on returns the only way to remove the listener.
angular.module('dashboard')
  .controller('ClockController', ['$scope', '$rootScope', function ($scope, $rootScope) {
    $rootScope.$on('tick', function (event, now) { // expect: handler-not-cleared
      $scope.now = now;
    });
  }])
  // Look-alike: the deregistration function is called when the view goes.
  .controller('ThemeController', ['$scope', '$rootScope', function ($scope, $rootScope) {
    var stopWatchingTheme = $rootScope.$on('theme', function (event, theme) {
      $scope.theme = theme;
    });
    $scope.$on('$destroy', stopWatchingTheme);
  }])
  // Look-alike: set-up once for the app, not per view.
  .run(['$rootScope', function ($rootScope) {
    $rootScope.$on('$routeChangeError', function () {
      $rootScope.failed = true;
    });
  }]);
