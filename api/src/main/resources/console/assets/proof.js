// Tamper evidence of one entity, checked in the browser from /api/v1/audit/proof: each link of its
// hash chain from the one before (hash_n = SHA-256(hash_n-1 || canonical_n), from 32 zero bytes), and
// the Merkle path of its head up to the latest signed digest's root (RFC 9162, 2.1.3.2), and the
// digest's Ed25519 signature over its statement, with the ledger's published key (where the browser
// has Ed25519 in WebCrypto; elsewhere the offline verifier, docs/audit.md).
import { api, h, time } from './core.js';

function bytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.substr(i * 2, 2), 16);
  }
  return out;
}

function hex(array) {
  return Array.from(array, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(...parts) {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

/** The first link that does not follow from the one before, or null when the chain holds. */
export async function brokenLink(links) {
  let previous = new Uint8Array(32);
  for (const link of links) {
    if (!link.canonical) {
      return link;
    }
    const hash = await sha256(previous, bytes(link.canonical));
    if (hex(hash) !== link.hash) {
      return link;
    }
    previous = hash;
  }
  return null;
}

/** Whether the leaf climbs its audit path to the root (RFC 9162, 2.1.3.2). */
export async function included(leaf, index, size, path, root) {
  if (index >= size) {
    return false;
  }
  let fn = BigInt(index);
  let sn = BigInt(size) - 1n;
  let r = await sha256(new Uint8Array([0]), bytes(leaf));
  for (const p of path) {
    if (sn === 0n) {
      return false;
    }
    if ((fn & 1n) === 1n || fn === sn) {
      r = await sha256(new Uint8Array([1]), bytes(p), r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await sha256(new Uint8Array([1]), r, bytes(p));
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && hex(r) === root;
}

/** The signed bytes of a digest, as Digest.statement() writes them. */
function statement(digest) {
  const version = digest.version || 1;
  const names = version >= 2
    ? ['id', 'previous', 'created_at', 'position', 'receipt_position', 'chains', 'receipts', 'root']
    : ['id', 'created_at', 'position', 'receipt_position', 'chains', 'receipts', 'root'];
  return new TextEncoder().encode('qi-ledger-digest-v' + version + '\n'
    + names.map((name) => name + '=' + digest[name] + '\n').join(''));
}

function base64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** 'verified', 'refused', 'other-key' (not the ledger's published key) or 'unavailable' (no Ed25519 here). */
export async function signatureOf(digest, publishedKeyPem) {
  const published = publishedKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  if (published !== digest.public_key) {
    return 'other-key';
  }
  let key;
  try {
    key = await crypto.subtle.importKey('spki', base64(digest.public_key), { name: 'Ed25519' }, false, ['verify']);
  } catch (e) {
    return 'unavailable';
  }
  return await crypto.subtle.verify({ name: 'Ed25519' }, key, base64(digest.signature), statement(digest))
    ? 'verified' : 'refused';
}

const SIGNATURE = {
  verified: ['good', '✓ The digest\'s Ed25519 signature holds, under the ledger\'s published key '],
  refused: ['bad', '✗ The digest\'s signature does not hold under the ledger\'s published key '],
  'other-key': ['bad', '✗ The digest names another key than the ledger publishes: '],
  unavailable: ['muted', 'This browser has no Ed25519: check the digest\'s signature with the offline verifier '
    + '(java -jar qi-ledger.jar verify) and the ledger\'s key '],
};

async function signaturePanel(digest) {
  const published = await api('/api/v1/audit/public-key');
  const [tone, text] = SIGNATURE[await signatureOf(digest, published.public_key_pem)];
  return h('p', { id: 'signature-status', class: tone }, text, h('code', { title: published.key_id },
    String(published.key_id).slice(0, 16) + '…'), '.');
}

export async function proofPanel(entity, key) {
  const proof = await api('/api/v1/audit/proof/' + encodeURIComponent(entity) + '/' + encodeURIComponent(key));
  const links = proof.links;
  const head = links[links.length - 1];
  if (!globalThis.crypto || !crypto.subtle) {
    return h('p', { id: 'proof-status', class: 'problem' }, 'This page is not in a secure context (HTTPS or '
      + 'localhost), so the browser cannot compute SHA-256: check with the offline verifier.');
  }
  const broken = await brokenLink(links);
  const chain = broken
    ? h('p', { id: 'chain-status', class: 'bad' }, '✗ The chain breaks at sequence ' + broken.sequence + '.')
    : h('p', { id: 'chain-status', class: 'good' }, '✓ Chain verified in this browser: ' + links.length
      + (links.length === 1 ? ' link' : ' links') + ', head ', h('code', { title: head.hash }, head.hash.slice(0, 16) + '…'));
  let digest;
  if (!proof.digest) {
    digest = h('p', { id: 'digest-status', class: 'muted' }, 'No signed digest yet (one is made every minute).');
  } else if (!proof.inclusion) {
    digest = h('p', { id: 'digest-status', class: 'muted' }, 'Not yet covered by a digest: the latest, #'
      + proof.digest.id + ', was made before this entity\'s first event.');
  } else {
    const inc = proof.inclusion;
    const headLink = links.find((l) => String(l.sequence) === String(inc.head_sequence));
    const sizeMatches = String(inc.tree_size) === String(BigInt(String(proof.digest.chains))
      + BigInt(String(proof.digest.receipts)));
    const leafMatches = headLink && inc.leaf.endsWith(headLink.hash);
    const climbs = await included(inc.leaf, Number(String(inc.leaf_index)), Number(String(inc.tree_size)),
      inc.path, proof.digest.root);
    const later = links.length - links.indexOf(headLink) - 1;
    digest = climbs && sizeMatches && leafMatches
      ? h('p', { id: 'digest-status', class: 'good' }, '✓ Covered by signed digest #' + proof.digest.id + ' of ',
        time(proof.digest.created_at), ' (root ', h('code', { title: proof.digest.root },
          proof.digest.root.slice(0, 16) + '…'), ') up to sequence ' + inc.head_sequence
          + (later > 0 ? '; ' + later + ' later event(s) await the next digest.' : '.'))
      : h('p', { id: 'digest-status', class: 'bad' }, '✗ The Merkle path of digest #' + proof.digest.id
        + ' does not lead to its root.');
  }
  return h('div', { class: 'proof' }, chain, digest, proof.digest ? await signaturePanel(proof.digest) : null);
}
