/**
 * The little script of the sandbox's own pages: buttons and forms act through /sandbox/api/act as
 * the chosen person, and frames may ask for flags and a height.
 */
export const PAGE_SCRIPT = `(function () {
  var status = document.getElementById('status');
  var back = document.querySelector('input[name="back"]');
  if (back) back.value = location.pathname;
  var acting = document.getElementById('as');
  function say(text, kind) {
    status.textContent = text;
    status.className = kind ? 'notice ' + kind : '';
  }
  async function act(action) {
    say('Working…');
    var response = await fetch('/sandbox/api/act', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.assign({ as: acting ? acting.value : undefined }, action))
    });
    var body = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      say(body.message || body.error || ('Refused (' + response.status + ')'), 'error');
      return false;
    }
    await fetch('/sandbox/api/settle', { method: 'POST' });
    sessionStorage.setItem('sandbox-status', 'Done. The app has seen the change.');
    location.reload();
    return true;
  }
  var saved = sessionStorage.getItem('sandbox-status');
  if (saved) { say(saved); sessionStorage.removeItem('sandbox-status'); }
  document.addEventListener('click', function (event) {
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
  });
})();`;
