// Models section: the forms that register a version and start a fine-tune. Errors from the API's
// problem+json are shown beside the field they name.
import {el, fieldErrors, notify, problemText} from './app.js';
import {enc} from './models-shared.js';

const KINDS = {
  onnx: ['modelPath', 'tokenizerPath', 'pooling'],
  remote: ['baseUrl', 'modelName', 'apiKeyEnv'],
  adapter: ['base', 'adapterPath'],
};

function field(id, label, control, help) {
  control.id = control.id || id;
  const helpId = help ? id + '-help' : null;
  if (helpId) control.setAttribute('aria-describedby', helpId);
  return el('div', {class: 'field', dataset: {for: control.name}},
    el('label', {for: control.id}, label), control, help ? el('span', {class: 'help', id: helpId}, help) : null);
}

const text = (name, attrs = {}) => el('input', {type: 'text', name, autocomplete: 'off', spellcheck: 'false', ...attrs});

/** Register a version (onnx, remote or adapter), then optionally start its index build. */
export function registerForm(ctx, versions, done) {
  const kind = el('select', {name: 'kind'}, Object.keys(KINDS).map(k => el('option', {value: k}, k)));
  const base = el('select', {name: 'base'});
  const build = el('input', {type: 'checkbox', name: 'build', id: 'reg-build'});
  build.defaultChecked = true; // checked again after a reset
  const fields = {
    modelPath: field('reg-modelPath', 'Model file (model.onnx)', text('modelPath'),
      'Under the models directory, relative to it or absolute.'),
    tokenizerPath: field('reg-tokenizerPath', 'Tokenizer file (tokenizer.json)', text('tokenizerPath')),
    pooling: field('reg-pooling', 'Pooling', el('select', {name: 'pooling'}, ['MEAN', 'CLS'].map(p => el('option', {value: p}, p)))),
    baseUrl: field('reg-baseUrl', 'Endpoint URL', text('baseUrl', {placeholder: 'http://tei.internal:8080/v1'}),
      'An OpenAI-compatible embeddings endpoint on an allowed host.'),
    modelName: field('reg-modelName', 'Model name', text('modelName')),
    apiKeyEnv: field('reg-apiKeyEnv', 'Environment variable holding its key (optional)', text('apiKeyEnv',
      {placeholder: 'TASTEMAKER_MODEL_KEY_…'})),
    base: field('reg-base', 'Base version', base),
    adapterPath: field('reg-adapterPath', 'Adapter file', text('adapterPath')),
  };
  const showKind = () => {
    for (const [name, node] of Object.entries(fields)) node.hidden = !KINDS[kind.value].includes(name);
    base.replaceChildren(...versions().filter(v => ['ready', 'active'].includes(v.state) && v.kind !== 'adapter')
      .map(v => el('option', {value: v.version}, v.version)));
  };
  kind.addEventListener('change', showKind);
  const submit = el('button', {type: 'submit', class: 'primary'}, 'Register');
  const form = el('form', {id: 'register-form', novalidate: true},
    el('div', {class: 'row'},
      field('reg-version', 'Version name', text('version', {required: true, maxlength: 64}),
        'Letters, digits, dots, dashes; e.g. bge-ft-2026-12.'),
      field('reg-kind', 'Kind', kind)),
    Object.values(fields),
    el('div', {class: 'field inline'}, build, el('label', {for: 'reg-build'}, 'Start its index build once registered')),
    el('div', {class: 'actions'}, submit));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    fieldErrors(form, null);
    const body = {version: form.elements.version.value.trim(), kind: kind.value};
    for (const name of KINDS[kind.value]) {
      const value = form.elements[name].value.trim();
      if (value) body[name] = value;
    }
    submit.disabled = true;
    submit.textContent = 'Loading the model…';
    try {
      const v = await ctx.api('POST', '/v1/models', {body});
      if (build.checked) await ctx.api('POST', '/v1/models/' + enc(v.version) + '/index');
      notify(v.version + ' is registered' + (build.checked ? ' and its index build started.' : '.'));
      form.reset();
      showKind();
      await done();
    } catch (problem) {
      if (problem.name === 'AbortError') return;
      fieldErrors(form, problem.errors.length ? problem : {detail: problemText(problem), errors: []});
    } finally {
      submit.disabled = false;
      submit.textContent = 'Register';
    }
  });
  showKind();
  return form;
}

/** Fine-tune an adapter over the active version. */
export function fineTuneForm(ctx, active, done) {
  const submit = el('button', {type: 'submit', class: 'primary'}, 'Start fine-tuning');
  const form = el('form', {id: 'fine-tune-form', novalidate: true},
    el('p', {class: 'help'}, 'Trains an adapter over the active version on the shop\'s co-engagement, then registers it '
      + 'and builds its index. Promote it once it is ready (the gate decides).'),
    el('div', {class: 'row'},
      field('ft-version', 'New version name', text('version', {required: true, maxlength: 64})),
      field('ft-epochs', 'Epochs', el('input', {type: 'number', name: 'epochs', min: 1, max: 100, value: 6}))),
    el('div', {class: 'actions'}, submit));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    fieldErrors(form, null);
    const body = {version: form.elements.version.value.trim(), epochs: Number(form.elements.epochs.value)};
    submit.disabled = true;
    try {
      await ctx.api('POST', '/v1/models/' + enc(active()) + '/fine-tune', {body});
      notify('Fine-tuning ' + body.version + ' over ' + active() + ' started.');
      form.reset();
      await done();
    } catch (problem) {
      if (problem.name === 'AbortError') return;
      fieldErrors(form, problem.errors.length ? problem : {detail: problemText(problem), errors: []});
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
