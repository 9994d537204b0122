// The console's entry: who is signed in, which page the address asks for, and the navigation.
import { ApiError, api, h, problemBox, replace, session } from './core.js';
import { findPage } from './find.js';
import { entityPage } from './entity.js';
import { receiptPage } from './receipt.js';
import { reconciliationPage } from './reconciliation.js';
import { ledgerPage } from './ledger.js';
import { operationsPage } from './operations.js';
import { ENTITIES } from './core.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

// Kept for the browser tests and for anyone looking: the policy forbids inline code, this shows it held.
const violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(event.violatedDirective + ' ' + event.blockedURI);
  document.documentElement.dataset.cspViolations = String(violations.length);
});

const PAGES = [
  { href: '/console', label: 'Find', roles: ['auditor', 'finance', 'operator'] },
  { href: '/console/reconciliation', label: 'Reconciliation', roles: ['finance'] },
  { href: '/console/ledger', label: 'Money movements', roles: ['finance'] },
  { href: '/console/operations', label: 'Operations', roles: ['operator'] },
];

/** The page of an address: /console/{entity}/{key}, /console/receipts/{id}, /console/{page}. */
function route(pathname) {
  const parts = pathname.replace(/^\/console\/?/, '').split('/').filter((p) => p !== '').map(decodeURIComponent);
  if (parts.length === 0) {
    return findPage;
  }
  if (parts.length === 1) {
    return { reconciliation: reconciliationPage, ledger: ledgerPage, operations: operationsPage }[parts[0]];
  }
  if (parts.length === 2 && parts[0] === 'receipts') {
    return (box, params) => receiptPage(box, parts[1], params);
  }
  if (parts.length === 2 && ENTITIES[parts[0]]) {
    return (box, params) => entityPage(box, parts[0], parts[1], params);
  }
  return null;
}

function showNavigation() {
  const roles = session.roles();
  const current = location.pathname.replace(/\/$/, '');
  replace(nav, h('ul', {}, PAGES.filter((page) => page.roles.some((role) => roles.includes(role))).map((page) =>
    h('li', {}, h('a', { href: page.href, 'aria-current': current === page.href ? 'page' : null }, page.label)))));
  const signOut = h('button', { type: 'button', id: 'sign-out', class: 'link' }, 'Sign out');
  signOut.addEventListener('click', () => {
    session.end();
    location.assign('/console');
  });
  replace(who, h('span', { id: 'roles' }, 'Signed in as ', roles.join(' + ')), ' ', signOut);
}

/** The sign-in form: the token goes to this tab's session storage only, never into an address or cookie. */
function showSignIn(message) {
  replace(nav);
  replace(who);
  document.title = 'Sign in · QI Ledger';
  const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: false,
    'aria-describedby': 'token-help', spellcheck: 'false' });
  const error = h('p', { id: 'sign-in-error', class: 'problem', role: 'alert', hidden: !message }, message || '');
  const form = h('form', { id: 'sign-in', class: 'card narrow' },
    h('h1', {}, 'Sign in'),
    h('p', { id: 'token-help', class: 'muted' }, 'Paste your bearer token (auditor, finance or operator). It is kept '
      + 'in this browser tab only, until you sign out or close the tab.'),
    h('label', { for: 'token' }, 'Bearer token'), input,
    h('button', { type: 'submit', id: 'sign-in-button' }, 'Sign in'), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    try {
      const me = await api('/api/v1/me', { token });
      if (!me.roles || me.roles.length === 0) {
        throw new ApiError(403, { detail: 'this token has no role' });
      }
      session.keep(token, me.roles);
      show();
    } catch (e) {
      error.hidden = false;
      replace(error, e instanceof ApiError && e.status === 401 ? 'This token is not valid.' : problemBox(e).textContent);
      input.focus();
    }
  });
  replace(main, form);
  input.focus();
}

async function show() {
  if (!session.signedIn()) {
    showSignIn(null);
    return;
  }
  showNavigation();
  const page = route(location.pathname);
  const box = h('div', { class: 'page' });
  replace(main, box);
  if (!page) {
    replace(box, h('h1', {}, 'No such page'), h('p', {}, 'The console has no page at this address. ',
      h('a', { href: '/console' }, 'Find something')));
    return;
  }
  try {
    await page(box, new URLSearchParams(location.search));
  } catch (e) {
    box.append(problemBox(e));
  }
  document.documentElement.dataset.ready = 'true';
}

window.addEventListener('qi-ledger:unauthorized', () => {
  session.end();
  showSignIn('Your token is no longer accepted: sign in again.');
});

show();
