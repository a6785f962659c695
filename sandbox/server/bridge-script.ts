/**
 * The script the sandbox puts in front of every Custom UI bundle: it defines
 * `globalThis.__bridge.callBridge`, which @forge/bridge looks for when it loads, and passes each
 * call to the sandbox server with the frame's token. The server, not the frame, knows who is acting
 * and where the frame is (the token names that), as in Jira. Events the page hands down (Jira's
 * JIRA_ISSUE_CHANGED) reach the callbacks the app registered with `events.on`.
 */

/** Calls the frame answers itself: they concern the page around it, not the app. */
const LOCAL_METHODS = ['enableTheming', 'showFlag', 'closeFlag', 'emitReadyEvent', 'changeWindowTitle', 'navigate', 'reload', 'refresh', 'close', 'open', 'createHistory', 'on', 'emit', 'onPublic', 'emitPublic', 'getFrameDispatch', 'trackObjectStoreAction', 'emitFrontendCustomMetric'];

export function bridgeScript(frameToken: string, colorMode: 'light' | 'dark'): string {
  // Serialised with JSON.stringify so no value can break out of the script.
  return `(function () {
  var token = ${JSON.stringify(frameToken)};
  var colorMode = ${JSON.stringify(colorMode)};
  var themingEnabled = false;
  var localMethods = ${JSON.stringify(LOCAL_METHODS)};
  var flagCount = 0;
  var listeners = {};
  function applyTheme() {
    var root = document.documentElement;
    root.setAttribute('data-color-mode', colorMode);
    root.setAttribute('data-theme', 'dark:dark light:light spacing:spacing typography:typography');
    if (!document.getElementById('sandbox-tokens')) {
      var link = document.createElement('link');
      link.id = 'sandbox-tokens';
      link.rel = 'stylesheet';
      link.href = '/sandbox/tokens.css';
      document.head.appendChild(link);
    }
  }
  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || !event.data) return;
    if (event.data.type === 'sandbox-theme') {
      colorMode = event.data.colorMode === 'dark' ? 'dark' : 'light';
      if (themingEnabled) applyTheme();
    }
    if (event.data.type === 'sandbox-event' && typeof event.data.event === 'string') {
      (listeners[event.data.event] || []).slice().forEach(function (callback) {
        try { callback(event.data.payload); } catch (error) { console.error(error); }
      });
    }
  });
  function post(message) {
    if (window.parent !== window) window.parent.postMessage(Object.assign({ token: token }, message), '*');
  }
  function local(method, payload) {
    switch (method) {
      case 'enableTheming': themingEnabled = true; applyTheme(); return true;
      case 'showFlag': flagCount += 1; post({ type: 'sandbox-flag', flag: payload }); return { id: payload && payload.id || 'flag-' + flagCount };
      case 'closeFlag': post({ type: 'sandbox-close-flag', id: payload && payload.id }); return true;
      case 'changeWindowTitle': document.title = String(payload); return true;
      case 'navigate': post({ type: 'sandbox-navigate', location: payload }); return true;
      case 'reload': case 'refresh': post({ type: 'sandbox-reload' }); return true;
      case 'on': {
        var name = payload && payload.event;
        var callback = payload && payload.callback;
        if (typeof name !== 'string' || typeof callback !== 'function') return { unsubscribe: function () {} };
        (listeners[name] = listeners[name] || []).push(callback);
        return { unsubscribe: function () { listeners[name] = (listeners[name] || []).filter(function (c) { return c !== callback; }); } };
      }
      case 'createHistory': return { action: 'POP', location: { pathname: '/', search: '', hash: '', state: null, key: 'default' }, push: function () {}, replace: function () {}, go: function () {}, listen: function () { return function () {}; } };
      default: return true;
    }
  }
  async function remote(method, payload) {
    var response = await fetch('/sandbox/bridge', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: token, method: method, payload: payload === undefined ? null : payload })
    });
    var body = await response.json();
    if (!response.ok) {
      var error = new Error(body && body.error || ('bridge call ' + method + ' failed'));
      throw error;
    }
    return body.result;
  }
  globalThis.__bridge = {
    callBridge: function (method, payload) {
      if (localMethods.indexOf(method) >= 0) return Promise.resolve(local(method, payload));
      return remote(method, payload);
    }
  };
  // Frames grow with their content, as Jira's do.
  if (typeof ResizeObserver !== 'undefined') {
    new ResizeObserver(function () {
      post({ type: 'sandbox-resize', height: document.documentElement.scrollHeight });
    }).observe(document.documentElement);
  }
})();`;
}
