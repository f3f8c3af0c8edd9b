// Placeholder: the Operations section is built by another helper and replaces this file.
import {el} from './app.js';

export function render(main) {
  main.append(el('h1', {}, 'Operations'), el('p', {class: 'muted'}, 'This section is not available yet.'));
}
