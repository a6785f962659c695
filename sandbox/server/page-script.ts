/**
 * The little script of the sandbox's own pages: buttons and forms act through /sandbox/api/act as
 * the chosen person, the header resets the demo, frames may ask for flags, a height and navigation,
 * and the frame on a work item hears when the work item changes (Jira's JIRA_ISSUE_CHANGED).
 */
export const PAGE_SCRIPT = `(function () {
  var status = document.getElementById('status');
  var back = document.querySelector('input[name="back"]');
  if (back) back.value = location.pathname;
  var acting = document.getElementById('as');
  var details = document.getElementById('item-details');
  function say(text, kind, label) {
    status.textContent = '';
    if (label) {
      var strong = document.createElement('span');
      strong.className = 'label';
      strong.textContent = label;
      status.appendChild(strong);
    }
    status.appendChild(document.createTextNode(text));
    status.className = kind ? 'notice ' + kind : '';
  }
  /** The work item page shows Jira's state in place, as Jira's issue view does; its frames stay. */
  async function refreshDetails() {
    if (!details) return;
    var response = await fetch(location.href, { headers: { accept: 'text/html' } });
    if (!response.ok) return;
    var fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('item-details');
    if (fresh) details.innerHTML = fresh.innerHTML;
  }
  async function act(action) {
    say('Working…');
    var response = await fetch('/sandbox/api/act', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.assign({ as: acting ? acting.value : undefined, settle: true }, action))
    });
    var body = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      say(body.message || body.error || ('Refused (' + response.status + ')'), 'error');
      return false;
    }
    var note = body.appDid || 'Done.';
    if (details) {
      await refreshDetails();
      say(note, 'sandbox', 'Sandbox note:');
      status.focus();
      return true;
    }
    sessionStorage.setItem('sandbox-note', note);
    location.reload();
    return true;
  }
  var saved = sessionStorage.getItem('sandbox-note');
  if (saved) { say(saved, 'sandbox', 'Sandbox note:'); sessionStorage.removeItem('sandbox-note'); }
  document.addEventListener('click', function (event) {
    var reset = event.target.closest && event.target.closest('button[data-reset]');
    if (reset) {
      event.preventDefault();
      say('Putting the demo back to its start…');
      fetch('/sandbox/api/reset', { method: 'POST' }).then(function (response) {
        if (!response.ok) { say('The demo could not be reset (' + response.status + ').', 'error'); return; }
        sessionStorage.setItem('sandbox-note', 'The demo is back at its start: the work items as they were, and the app with its settings as the sandbox started, an empty log.');
        location.reload();
      });
      return;
    }
    var button = event.target.closest && event.target.closest('button[data-action]');
    if (!button) return;
    event.preventDefault();
    act(JSON.parse(button.getAttribute('data-action')));
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute('data-edit')) return;
    event.preventDefault();
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.disabled) return;
      if (element.value === element.getAttribute('data-initial')) return;
      var value = element.value;
      if (element.getAttribute('data-kind') === 'number') value = value === '' ? null : Number(value);
      if (element.getAttribute('data-kind') === 'account') value = value === '' ? null : { accountId: value };
      if (element.getAttribute('data-kind') === 'option') value = { id: value };
      fields[element.name] = value;
    });
    if (Object.keys(fields).length === 0) { say('Nothing changed.'); return; }
    act({ action: 'edit', issue: form.getAttribute('data-edit'), fields: fields });
  });
  window.addEventListener('message', function (event) {
    var data = event.data || {};
    var frame = Array.prototype.find.call(document.querySelectorAll('iframe.app'), function (f) { return f.contentWindow === event.source; });
    if (!frame) return;
    if (data.type === 'sandbox-resize' && typeof data.height === 'number') frame.style.height = Math.min(Math.max(data.height, 80), 4000) + 'px';
    if (data.type === 'sandbox-flag' && data.flag) {
      var flag = document.createElement('div');
      flag.setAttribute('role', data.flag.type === 'error' ? 'alert' : 'status');
      var title = document.createElement('strong');
      title.textContent = data.flag.title || '';
      var text = document.createElement('div');
      text.textContent = data.flag.description || '';
      flag.appendChild(title); flag.appendChild(text);
      document.getElementById('flags').appendChild(flag);
      setTimeout(function () { flag.remove(); }, 8000);
    }
    if (data.type === 'sandbox-reload') location.reload();
    // router.navigate / router.open of @forge/bridge: only paths of this site.
    if (data.type === 'sandbox-navigate' && data.location && typeof data.location.url === 'string' && /^\\/(?!\\/)/.test(data.location.url)) {
      if (data.location.type === 'new-tab') window.open(data.location.url, '_blank', 'noopener');
      else location.assign(data.location.url);
    }
  });
  // Jira tells the frames on a work item when it changed; the sandbox asks its server every second (short
  // requests, so the page still goes quiet between them) and passes it on.
  Array.prototype.forEach.call(document.querySelectorAll('iframe.app[data-issue-id]'), function (frame) {
    var issueId = frame.getAttribute('data-issue-id');
    var url = '/sandbox/api/work-item-changes?issueId=' + encodeURIComponent(issueId);
    (async function listen() {
      var seq = (await (await fetch(url)).json()).seq;
      for (;;) {
        await new Promise(function (resolve) { setTimeout(resolve, 1000); });
        var answer;
        try {
          var response = await fetch(url + '&after=' + seq);
          if (!response.ok) return;
          answer = await response.json();
        } catch (error) {
          continue;
        }
        seq = answer.seq;
        if (answer.events.length === 0) continue;
        answer.events.forEach(function (payload) {
          frame.contentWindow.postMessage({ type: 'sandbox-event', event: 'JIRA_ISSUE_CHANGED', payload: payload }, '*');
        });
        refreshDetails();
      }
    })();
  });
})();`;
