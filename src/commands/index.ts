// The command table oclif loads (explicit strategy: no directory scan at start-up, so `govscan
// --version` stays fast).

import CampaignCancel from './campaign/cancel.js';
import CampaignCreate from './campaign/create.js';
import CampaignList from './campaign/list.js';
import CampaignShow from './campaign/show.js';
import CertVerify from './cert/verify.js';
import ChecksList from './checks/list.js';
import ConfigShow from './config/show.js';
import Demo from './demo.js';
import EvidenceInit from './evidence/init.js';
import EvidenceVerify from './evidence/verify.js';
import FleetExport from './fleet/export.js';
import FleetFindings from './fleet/findings.js';
import FleetStatus from './fleet/status.js';
import PolicyList from './policy/list.js';
import PolicyShow from './policy/show.js';
import PolicyValidate from './policy/validate.js';
import ReportDiff from './report/diff.js';
import ReportConvert from './report/convert.js';
import ReportMerge from './report/merge.js';
import Scan from './scan.js';
import ServerBackup from './server/backup.js';
import ServerEnrollmentCreate from './server/enrollment/create.js';
import Server from './server/serve.js';
import ServerTokenCreate from './server/token/create.js';
import ServerTokenList from './server/token/list.js';
import ServerTokenRevoke from './server/token/revoke.js';
import Worker from './worker.js';

export const COMMANDS = {
  scan: Scan,
  demo: Demo,
  'cert:verify': CertVerify,
  'checks:list': ChecksList,
  'config:show': ConfigShow,
  'evidence:init': EvidenceInit,
  'evidence:verify': EvidenceVerify,
  'policy:list': PolicyList,
  'policy:show': PolicyShow,
  'policy:validate': PolicyValidate,
  'report:diff': ReportDiff,
  'report:convert': ReportConvert,
  'report:merge': ReportMerge,
  server: Server,
  'server:backup': ServerBackup,
  'server:enrollment:create': ServerEnrollmentCreate,
  'server:token:create': ServerTokenCreate,
  'server:token:list': ServerTokenList,
  'server:token:revoke': ServerTokenRevoke,
  'fleet:status': FleetStatus,
  'fleet:findings': FleetFindings,
  'fleet:export': FleetExport,
  worker: Worker,
  'campaign:create': CampaignCreate,
  'campaign:list': CampaignList,
  'campaign:show': CampaignShow,
  'campaign:cancel': CampaignCancel,
};
