// The book's checks of understanding (markup from xtask/src/quiz/render.rs). A reader answers,
// presses Check (or Enter) and hears the verdict in a live region, with the explanation; answers
// stay in localStorage under one key, come back on reload, and export as a JSON file that
// `racebook report --merge` reads. Nothing here talks to the network.
(function () {
  'use strict';
  var KEY = 'racebook-answers';
  var FORMAT = 'racebook-answers';

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(KEY) || '{}');
      return saved && typeof saved === 'object' ? saved : {};
    } catch (e) {
      return {};
    }
  }

  function save(all) {
    try {
      localStorage.setItem(KEY, JSON.stringify(all));
    } catch (e) {
      // Private windows may refuse storage: the answer still gets its feedback.
    }
  }

  function inputs(form) {
    return Array.prototype.slice.call(form.querySelectorAll('input'));
  }

  // The reader's answer as text ("" when nothing is chosen): an option's index, a number, or
  // the selected step numbers joined by commas.
  function given(form) {
    if (form.dataset.kind === 'number') {
      return form.querySelector('input').value.trim();
    }
    return inputs(form).filter(function (i) { return i.checked; })
      .map(function (i) { return i.value; }).join(',');
  }

  function restore(form, answer) {
    if (form.dataset.kind === 'number') {
      form.querySelector('input').value = answer;
      return;
    }
    var chosen = String(answer).split(',');
    inputs(form).forEach(function (i) { i.checked = chosen.indexOf(i.value) >= 0; });
  }

  function rightAnswer(form) {
    var answer = form.dataset.answer;
    if (form.dataset.kind === 'choice') {
      var label = form.querySelectorAll('.rbq-options label')[Number(answer)];
      return '“' + label.textContent.trim() + '”';
    }
    if (form.dataset.kind === 'step') {
      var steps = answer.split(',');
      return (steps.length > 1 ? 'steps ' : 'step ') + steps.join(' and ');
    }
    return answer;
  }

  function show(form, answer) {
    var right = answer === form.dataset.answer;
    var feedback = form.querySelector('.rbq-feedback');
    feedback.textContent = right
      ? 'Right: ' + rightAnswer(form) + '.'
      : 'Not this time: the answer is ' + rightAnswer(form) + '.';
    form.dataset.result = right ? 'right' : 'wrong';
    form.querySelector('.rbq-explanation').hidden = false;
    return right;
  }

  function check(form, event) {
    event.preventDefault();
    var answer = given(form);
    var feedback = form.querySelector('.rbq-feedback');
    if (form.dataset.kind === 'number' && answer !== '' && !/^\d+$/.test(answer)) {
      feedback.textContent = 'Type a whole number, like 12.';
      return;
    }
    if (answer === '') {
      feedback.textContent = form.dataset.kind === 'number' ? 'Type a number first.' : 'Choose an answer first.';
      return;
    }
    if (form.dataset.kind === 'number') answer = String(Number(answer));
    var right = show(form, answer);
    var all = load();
    var before = all[form.dataset.id];
    all[form.dataset.id] = {
      kind: form.dataset.kind,
      answer: answer,
      correct: right,
      first_correct: before ? before.first_correct : right,
      tries: (before ? before.tries : 0) + 1,
      at: new Date().toISOString()
    };
    save(all);
  }

  function exportAnswers() {
    var all = load();
    var answers = Object.keys(all).sort().map(function (id) {
      var a = all[id];
      return { id: id, chapter: id.split('/')[0], kind: a.kind, answer: a.answer, correct: a.correct,
        first_correct: a.first_correct, tries: a.tries, at: a.at };
    });
    var doc = { format: FORMAT, version: 1, exported_at: new Date().toISOString(), answers: answers };
    var blob = new Blob([JSON.stringify(doc, null, 2) + '\n'], { type: 'application/json' });
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'racebook-answers.json';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    return doc;
  }

  function start() {
    var forms = Array.prototype.slice.call(document.querySelectorAll('form.rbq'));
    if (!forms.length) return;
    var all = load();
    forms.forEach(function (form) {
      form.addEventListener('submit', function (event) { check(form, event); });
      var saved = all[form.dataset.id];
      if (saved && typeof saved.answer === 'string') {
        restore(form, saved.answer);
        show(form, saved.answer);
      }
    });
    // One export button, after the page's last question.
    var p = document.createElement('p');
    p.className = 'rbq-export';
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Export my answers (JSON)';
    button.setAttribute('aria-describedby', 'rbq-export-note');
    var note = document.createElement('span');
    note.id = 'rbq-export-note';
    note.textContent = ' Your answers from every chapter, for your instructor.';
    button.addEventListener('click', exportAnswers);
    p.appendChild(button);
    p.appendChild(note);
    forms[forms.length - 1].insertAdjacentElement('afterend', p);
    window.racebookAnswers = { load: load, exportAnswers: exportAnswers };
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
