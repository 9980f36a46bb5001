// Every certificate expiring within 30 days (or already expired), fewest days left first: the full
// list behind the overview's bounded panel.

import { api } from '../api.js';
import { byKey, h, itemsOf } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { panel } from '../widgets.js';
import { certificateTable } from './overview.js';

export const name = 'certificates';

export async function load() {
  const [certificates, agencies] = await Promise.all([api('/certificates', { days: 30 }), api('/agencies')]);
  return { certificates: itemsOf(certificates), agencies: itemsOf(agencies) };
}

export function render({ certificates, agencies }) {
  const names = byKey(agencies, 'id');
  return h(
    'div',
    { class: 'view certificates-view' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { text: t('cert.title') }),
      h('p', { class: 'muted', text: t('cert.count', { n: formatNumber(certificates.length) }) }),
    ),
    panel(
      t('cert.allTitle'),
      certificateTable(certificates, (id) => names.get(id)?.name ?? id),
      { id: 'certificates' },
    ),
  );
}
