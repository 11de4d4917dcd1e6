// Infermint console: the few things a server-rendered page cannot do alone. No framework, no external requests.
(function () {
  'use strict';

  // Copy buttons: <button data-copy="#input">.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) return;
    var input = document.querySelector(button.getAttribute('data-copy'));
    var status = button.parentElement.querySelector('.copied');
    input.select();
    var done = function () { if (status) status.textContent = 'Copied.'; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand('copy'); done(); });
    } else {
      document.execCommand('copy');
      done();
    }
  });

  // Uploads: the form is sent with XMLHttpRequest so its progress bar counts the bytes really sent; the registry's
  // problems are shown next to the field they name.
  function setupUpload(form) {
    var progress = form.querySelector('progress');
    var box = form.querySelector('.progress');
    var text = form.querySelector('.progress-text');
    var button = form.querySelector('button[type=submit]');
    function showError(field, message) {
      var slot = form.querySelector('[data-error="' + field + '"]') || form.querySelector('[data-error="general"]');
      slot.textContent = message;
      slot.hidden = false;
      var input = form.querySelector('[name="' + field + '"]');
      if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); } else { slot.focus && slot.focus(); }
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      form.querySelectorAll('[data-error]').forEach(function (e) { e.hidden = true; e.textContent = ''; });
      form.querySelectorAll('[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); });
      var model = form.getAttribute('data-model');
      if (form.hasAttribute('data-new-model')) {
        model = form.querySelector('[name=name]').value.trim();
        if (!model) { showError('name', 'name: is required'); return; }
      }
      var data = new FormData();
      data.append('task', form.querySelector('[name=task]').value);
      ['file', 'tokenizer', 'labels'].forEach(function (name) {
        var input = form.querySelector('[name=' + name + ']');
        if (input && input.files.length) data.append(name, input.files[0]);
      });
      if (!data.has('file')) { showError('file', 'file: choose the .onnx file to upload'); return; }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/models/' + encodeURIComponent(model) + '/upload');
      xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
      xhr.upload.addEventListener('progress', function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.floor(e.loaded * 100 / e.total);
        progress.value = percent;
        progress.textContent = percent + ' %';
        text.textContent = percent + ' % (' + (e.loaded / 1048576).toFixed(1) + ' of ' + (e.total / 1048576).toFixed(1) + ' MB)';
      });
      xhr.upload.addEventListener('load', function () {
        progress.value = 100;
        text.textContent = '100 %: validating the model…';
      });
      xhr.addEventListener('load', function () {
        button.disabled = false;
        var body = {};
        try { body = JSON.parse(xhr.responseText || '{}'); } catch (e) { body = { detail: 'The console answered ' + xhr.status }; }
        if (xhr.status === 201 || xhr.status === 200) {
          text.textContent = '100 %: version ' + body.version + ' uploaded.';
          window.location.assign('/models/' + encodeURIComponent(model) + '?uploaded=' + body.version);
        } else {
          box.hidden = true;
          var field = body.field === 'model' ? 'name' : body.field;
          showError(field || 'general', body.detail || ('The upload failed with HTTP ' + xhr.status));
        }
      });
      xhr.addEventListener('error', function () {
        button.disabled = false;
        box.hidden = true;
        showError('general', 'The upload was interrupted: the connection to the console failed.');
      });
      progress.value = 0;
      box.hidden = false;
      button.disabled = true;
      text.textContent = '0 %';
      xhr.send(data);
    });
  }

  // Usage charts: the page embeds its numbers as JSON; Chart.js (served by the console) draws them.
  function drawChart(canvas, series, computeAs) {
    if (!canvas || !series) return;
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: series.labels,
        datasets: [
          { label: 'Requests', data: series.requests, backgroundColor: '#0f766e', yAxisID: 'y' },
          { label: 'Units', data: series.units, backgroundColor: '#60a5fa', yAxisID: 'y' },
          { label: 'Compute (ms)', data: series.computeMs, type: computeAs, borderColor: '#b45309', backgroundColor: '#f59e0b', yAxisID: 'ms' }
        ]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, position: 'left' }, ms: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } } }
      }
    });
    canvas.setAttribute('data-rendered', 'true');
  }

  function setupCharts() {
    var source = document.getElementById('usage-data');
    if (!source || typeof Chart === 'undefined') return;
    var d = JSON.parse(source.textContent);
    drawChart(document.getElementById('usage-chart'), d.days, 'line');
    drawChart(document.getElementById('usage-models-chart'), d.models, 'bar');
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form[data-upload]').forEach(setupUpload);
    setupCharts();
  });
})();
