// Merchandising rules: placeholder until the section lands (same branch, next commit).
import {el} from './app.js';

export function render(main) {
  main.append(el('h1', {}, 'Rules'), el('p', {class: 'muted'}, 'This section is not available yet.'));
}
