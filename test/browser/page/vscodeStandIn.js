// Stand-in for the webview host API: postMessage goes to Node through a Playwright binding, messages come back with
// window.postMessage, and getState/setState persist in localStorage so a reload restores state like VS Code does.
(function () {
  'use strict';
  var KEY = 'claude-usage.webview-state';
  var state;
  try {
    var saved = localStorage.getItem(KEY);
    state = saved === null ? undefined : JSON.parse(saved);
  } catch (e) {
    state = undefined;
  }
  var acquired = false;
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', function (e) {
    window.__cspViolations.push({
      directive: e.violatedDirective,
      blocked: e.blockedURI || '',
      sample: e.sample || '',
      where: (e.sourceFile || '') + ':' + e.lineNumber,
    });
  });
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: function (message) {
        window.__claudeUsageHostPost(message);
      },
      getState: function () {
        return state;
      },
      setState: function (next) {
        state = next;
        localStorage.setItem(KEY, JSON.stringify(next));
        return next;
      },
    });
  };
})();
