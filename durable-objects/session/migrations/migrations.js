import journal from './meta/_journal.json';
import m0000 from './0000_init.sql';
import m0001 from './0001_sandbox_state.sql';
import m0002 from './0002_agent.sql';
import m0003 from './0003_pull_request.sql';
import m0004 from './0004_team.sql';
import m0005 from './0005_pipelines.sql';
import m0006 from './0006_sandbox_snapshot_time.sql';
import m0007 from './0007_previews.sql';
import m0008 from './0008_participant_removed.sql';
import m0009 from './0009_fan_outs.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002,
m0003,
m0004,
m0005,
m0006,
m0007,
m0008,
m0009
    }
  }
  