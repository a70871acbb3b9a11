import type { CommandDef } from '../command.js';
import { ALLOW_MISSING, ARTIFACTS, FORCE, SPEC_OPTIONS } from './options.js';

export const compile: CommandDef = {
  name: 'compile',
  summary: 'check, then write the bundle to DIR',
  usage: 'compile SPEC -o DIR [--from OLD [--purge] [--allow-destroy]] [--force] [--artifacts ADIR [--allow-missing]] [--archive] [--ansible] [--format pretty|short|json|sarif] [--strict] [--today YYYY-MM-DD]',
  description: `Checks SPEC and writes the bundle (RUNBOOK.md, plan.json, manifest.json, SHA256SUMS, verify.sh
and hosts/<hostname>/install.sh) to DIR. The same spec always gives the same bytes. With --ansible
the bundle also holds ansible/inventory.yml and ansible/site.yml: the same procedure as an Ansible
playbook, run with: ansible-playbook -i DIR/ansible/inventory.yml DIR/ansible/site.yml

DIR must be new or empty, or with --force hold an earlier pbxplan bundle (its manifest.json
made by pbxplan, and exactly the files it lists): anything else is refused and left as it is.
DIR is never /, a home directory, the current directory (or one holding it), or a directory
holding the spec or ADIR. The bundle is written under a temporary name beside DIR and renamed
into place only when complete. One run at a time per DIR: a second one fails at once.
Interrupted (Ctrl-C, SIGTERM), a run removes what it wrote and exits 130 or 143; what a run
killed outright leaves is removed by the next run.

With --from OLD (the spec the cluster was installed from, or that bundle's plan.json or
directory) the bundle takes the running cluster from OLD to SPEC. Only the release changed: an
upgrade bundle (pre-flight on every host, backup, then each host in the vendor's order with a
health gate). Anything else changed: a change bundle, whose scripts carry out exactly what
'pbxplan diff OLD SPEC' shows, in a safe order, each refusing a host installed from another base
(exit 3); RUNBOOK.md opens with the diff. A release change mixed with other changes is refused
(two bundles: the upgrade first), as is what diff refuses. --purge deletes the data of retired
roles (kept otherwise); --allow-destroy permits recreating or removing protected hosts.

With --format json the diagnostics document is the only thing on stdout; the lines saying what
was written go to stderr.`,
  options: [
    { long: 'out', short: 'o', value: 'DIR', completes: 'dir', summary: 'the bundle directory to write' },
    { long: 'from', value: 'OLD', completes: 'file', summary: 'the spec, bundle or plan.json the cluster runs now; writes the upgrade or change bundle to SPEC' },
    { long: 'purge', summary: 'delete the data directories of retired roles (with --from; kept otherwise)' },
    { long: 'allow-destroy', summary: 'allow recreating or removing hosts the spec protects (with --from)' },
    FORCE,
    { ...ARTIFACTS, summary: 'copy the files an air-gapped site needs from ADIR into the bundle (layout as shown by pbxplan artifacts)' },
    { ...ALLOW_MISSING, summary: 'missing artifacts are warnings; the runbook lists them under Still to obtain' },
    { long: 'archive', summary: 'also write NAME.tar.gz beside DIR (NAME is metadata.name), a reproducible archive of the bundle' },
    { long: 'ansible', summary: 'also write ansible/inventory.yml and ansible/site.yml, the runbook as an Ansible playbook' },
    ...SPEC_OPTIONS,
  ],
  positionals: { min: 1, max: 1, what: 'one SPEC file ("-" reads standard input)', completes: { kind: 'file' } },
  load: () => import('./compile.run.js'),
};
