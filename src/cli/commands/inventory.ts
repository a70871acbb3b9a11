import type { CommandDef } from '../command.js';

export const inventory: CommandDef = {
  name: 'inventory',
  summary: 'merge the Ansible inventories of several bundles into FILE',
  usage: 'inventory BUNDLE... -o FILE [--force]',
  description: `Writes one Ansible inventory for the clusters of every BUNDLE (bundle directories, each
checked against its manifest.json first): a group per cluster (cluster_<name>), a group per role
(role_pbx, role_media, ...), every host named <hostname>.<cluster> with the values of its
bundle's ansible/inventory.yml. One control node then runs any site's playbook, or limits a
run to one site:
  ansible-playbook -i FILE BUNDLE/ansible/site.yml -l cluster_<name>
The inventory holds no secret. FILE is replaced only with --force.`,
  options: [
    { long: 'out', short: 'o', value: 'FILE', completes: 'file', summary: 'the inventory file to write' },
    { long: 'force', summary: 'replace FILE if it exists' },
  ],
  positionals: { min: 1, max: 1000, what: 'one or more BUNDLE directories', completes: { kind: 'dir' } },
  load: () => import('./inventory.run.js'),
};
