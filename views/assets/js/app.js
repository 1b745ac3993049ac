// Progressive enhancement only; every page works without JavaScript. No inline scripts (strict CSP).
document.documentElement.classList.add('js');

// A file picker marked data-csv-file="<textarea id>" fills that text box with the chosen file's text
// (uploads go through the ordinary form, so the CSRF token and the preview work the same way).
document.querySelectorAll('[data-csv-file]').forEach(function (input) {
  var target = document.getElementById(input.getAttribute('data-csv-file'));
  var wrap = input.closest('[hidden]');
  if (wrap) wrap.hidden = false;
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file || !target) return;
    var reader = new FileReader();
    reader.onload = function () {
      target.value = String(reader.result || '').replace(/^\uFEFF/, '');
    };
    reader.readAsText(file, 'utf-8');
  });
});
