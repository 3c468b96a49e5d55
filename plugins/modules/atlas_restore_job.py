#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: atlas_restore_job
short_description: Start, wait for and cancel MongoDB Atlas restore jobs
version_added: 0.1.0
description:
  - Makes sure a restore job exists for a backup source and a destination, starting one only if none exists,
    then waits for it to finish.
  - Works with Cloud Backup (O(backup_type=cloud)) and legacy backup (O(backup_type=legacy)) restore jobs.
  - Works with the backups of Flex clusters too (O(backup_type=flex)) - snapshot restores into a cluster, and snapshot
    downloads.
  - With O(state=absent), cancels a running Cloud Backup download job.
  - With O(job_id), waits for or cancels that job instead of looking for one.
  - A re-run is judged by what the target holds - a job that restored the same source into the same target counts only
    while no newer restore wrote that target from another source; when one did, the task restores again
    (RV(job_match=superseded)). The user guide's "Judged by what the target holds" lists the jobs read and what they
    cannot show.
  - B(An automated restore replaces all the data of the target cluster.) Use check mode and diff mode to see which
    cluster a task would overwrite.
author:
  - atlasops.backup maintainers (@atlasops)
extends_documentation_fragment:
  - atlasops.backup.atlas
  - atlasops.backup.undo
  - atlasops.backup.attributes
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
    details:
      - Sends no POST or DELETE; returns C(changed) and the RV(request_body) it would send.
      - Looks up the snapshot named by O(snapshot_id) and the target cluster (GETs only), and fails as the real run
        would when one does not exist, rather than report a change that cannot happen.
  diff_mode:
    support: full
    details:
      - Shows the job before and after, and the target cluster an automated restore would overwrite. A restore again
        over a newer restore (RV(superseded)) shows that newer restore as what the target holds before.
options:
  backup_type:
    description:
      - V(cloud) uses the Cloud Backup restore jobs (C(/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs)).
      - V(legacy) uses the legacy backup restore jobs (C(/groups/{groupId}/clusters/{clusterName}/restoreJobs)).
      - V(flex) uses the restore jobs of a Flex cluster (C(/groups/{groupId}/flexClusters/{name}/backup/restoreJobs),
        media type C(application/vnd.atlas.2024-11-13+json), O(api_version=v2) only); O(cluster_name) is the Flex
        cluster's name. Flex takes a O(snapshot_id) source only. An automated restore sends O(target_cluster_name)
        as C(targetDeploymentItemName) and O(target_group_id) as C(targetProjectId), and may target a Flex or a
        dedicated cluster. O(delivery_type=download) asks for the snapshot's download link
        (C(POST .../backup/download)), which Atlas keeps valid for four hours, and returns it in RV(download_urls).
        The Flex API cannot cancel, so O(state=absent) is refused before any request.
      - Atlas refuses a Flex cluster in the cluster APIs (C(CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API)) and a dedicated
        cluster in the Flex API (C(CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API)); the module then names the right
        O(backup_type).
    type: str
    default: cloud
    choices: [cloud, legacy, flex]
  state:
    description:
      - V(present) makes sure a restore job exists for the source and destination, and creates one if not.
        A job that is pending, in progress or finished counts; one that failed, was cancelled or expired does not.
      - V(absent) cancels the running job for the source and destination (or O(job_id)).
        Only Cloud Backup download jobs can be cancelled; Atlas refuses to cancel automated and point-in-time restores,
        and the legacy API cannot cancel at all. The module says so before sending anything.
    type: str
    default: present
    choices: [present, absent]
  job_id:
    description:
      - Act on this restore job (24 hexadecimal digits) instead of looking for a matching one.
      - With O(state=present), waits for it (when O(wait=true)) and returns it; with O(state=absent), cancels it.
      - Cannot be combined with the source and destination options.
    type: str
  snapshot_id:
    description:
      - Restore source - the snapshot to restore (24 hexadecimal digits), or V(latest) for the newest completed
        snapshot of O(cluster_name).
      - With V(latest), the module lists the cluster's snapshots (every page, newest first whatever order Atlas sends
        them in) and restores the newest whose status is V(completed); it returns that snapshot as RV(snapshot) and
        its ID in RV(request_body), in check mode too. Each run picks again - while the newest snapshot is the same,
        the job that restores it matches and the task reports C(changed=false); once a newer snapshot is completed,
        the task starts a new restore (what a nightly refresh wants), but not while a restore into the same target is
        still running. With no completed snapshot the task fails and sends no POST.
      - Give exactly one of O(snapshot_id), O(snapshot_before), O(point_in_time), O(oplog_ts) with O(oplog_inc), and
        O(checkpoint_id).
    type: str
  snapshot_before:
    description:
      - Restore source - restore the newest completed snapshot taken at or before this moment, as an ISO 8601
        date-time with a zone (V(2026-11-22T10:42:00Z)) or epoch seconds. Must not be in the future.
      - The snapshot's moment is its C(createdAt) (cloud), C(created.date) (legacy) or C(finishTime) (Flex, the latest
        moment its data can be from). Picked like O(snapshot_id=latest), and returned as RV(snapshot).
    type: raw
  point_in_time:
    description:
      - Restore source - the moment to restore to, as an ISO 8601 date-time with a zone (V(2026-11-22T10:42:00Z))
        or epoch seconds.
      - Sent as C(pointInTimeUTCSeconds) with C(deliveryType=pointInTime) (cloud, Continuous Cloud Backup), or as
        C(pointInTimeUTCMillis) (legacy).
      - Needs O(delivery_type=automated). Must not be in the future.
      - Before it starts a restore, the module checks that the cluster can restore to this moment - cloud - continuous
        cloud backup on (the cluster's C(pitEnabled)) and the moment within the backup schedule's
        C(restoreWindowDays); legacy - within the snapshot schedule's C(pointInTimeWindowHours) (24 when Atlas does
        not say). The error gives the window. The same check applies to O(oplog_ts).
    type: raw
  oplog_ts:
    description:
      - Restore source, with O(oplog_inc) - the oplog timestamp to restore to, as an ISO 8601 date-time with a zone
        or epoch seconds.
      - Cloud sends it as C(oplogTs) in epoch seconds with C(deliveryType=pointInTime). Legacy sends it as an ISO 8601
        string through O(api_version=v2), and as epoch seconds in a string through O(api_version=v1.0).
      - Needs O(delivery_type=automated).
    type: raw
  oplog_inc:
    description:
      - Restore source, with O(oplog_ts) - the ordinal of the operation within the second of O(oplog_ts), 1 or more.
    type: int
  checkpoint_id:
    description:
      - Restore source (legacy only, sharded clusters) - the checkpoint to restore to (24 hexadecimal digits).
      - Needs O(delivery_type=automated).
    type: str
  delivery_type:
    description:
      - V(automated) restores into the target cluster (O(target_cluster_name) or O(target_cluster_id)) and
        B(replaces all its data). This is what happens when the option is not set.
      - V(download) prepares files to download; it takes a O(snapshot_id) source only.
    type: str
    choices: [automated, download]
  target_cluster_name:
    description:
      - Name of the cluster an automated restore overwrites.
      - Required for automated restores, except that legacy restores may give O(target_cluster_id) instead.
      - Restoring a cluster onto itself needs O(allow_overwrite_source=true).
    type: str
  target_cluster_id:
    description:
      - ID of the cluster an automated legacy restore overwrites (24 hexadecimal digits), instead of O(target_cluster_name).
      - Legacy only.
      - The check of O(allow_overwrite_source) compares names, so it does not apply to a target given by ID.
    type: str
  target_group_id:
    description:
      - ID of the project of the target cluster (24 hexadecimal digits). Defaults to O(group_id).
    type: str
  expiration_hours:
    description:
      - Legacy download restores only - hours the download link stays valid once the job finishes, 1 or more.
      - V(48) when not set.
    type: int
  max_downloads:
    description:
      - Legacy download restores only - how many times the link can be used, 1 or more.
      - V(1) when not set.
    type: int
  allow_overwrite_source:
    description:
      - Allow an automated restore whose target is the source cluster itself (same name, same project).
        That replaces the cluster's current data with the backup.
    type: bool
    default: false
  wait:
    description:
      - Wait until the job ends. A job that ends failed, cancelled or expired fails the task.
      - Polls every 2 seconds at first, then every 8% of the time waited so far, up to every 30 seconds,
        so that a job is seen to end within about a tenth of its run time.
      - The task prints nothing while it waits. For restores of hours, run it with Ansible's C(async) and C(poll)
        (at least O(wait_timeout) and, say, 60) - Ansible then shows each check, and no connection stays open; the
        user guide's "Long restores" has an example.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait. When they pass, the task fails with the job ID and its last status;
        run it again with O(job_id) to go on waiting.
    type: int
    default: 3600
  skip_checks:
    description:
      - Pre-flight checks to pass knowingly. Before the restore is started (and in check mode) the task reads the
        snapshot and the target cluster and refuses, naming each check, what the docs of Atlas say will fail; all
        problems are reported together, in RV(preflight) of the failed result.
      - C(target_state) - the target is paused or not C(IDLE) (it is changing).
      - C(storage) - the snapshot's C(storageSizeBytes) exceed the target's disk (C(diskSizeGB)).
      - Checks of what Atlas itself refuses (a missing target or snapshot, a snapshot not completed, MongoDB version,
        topology, encryption at rest) cannot be skipped. The user guide's "Pre-flight checks" lists every rule with
        its source.
    type: list
    elements: str
    choices: [target_state, storage]
    default: []
  download_dest:
    description:
      - A directory (it must exist and be writable) to fetch the files of a download restore into, once the job is
        ready. Needs O(delivery_type=download), or O(job_id) of a download job, and O(wait=true).
      - Every file the job offers is fetched - cloud C(deliveryUrl) (one per restore, or one per shard and config server
        of a sharded cluster, whose name then starts with the shard's), legacy C(delivery.urlV2) with its key header (or
        C(delivery.url)), Flex C(snapshotUrl) - under the file name in its URL (or C(<job id>-<n>.tar.gz) when the URL
        names no C(.tar.gz) or C(.tgz) file, or when a name from Atlas's answer is not one plain file name - with a
        C(/), a C(\\), a control or format character (such as C(U+202E)), a line or paragraph separator, also once
        unquoted, a leading dot, or more than 180 bytes - or when another link of the job has the name), streamed in
        pieces of at most 1 MiB. O(download_dest) is resolved once (symbolic links followed), and every path is proven
        to lie in it.
      - Run as root, the module refuses a O(download_dest) that is, or lies in, a directory owned by another account or
        writable by group or others without the sticky bit (as OpenSSH's C(StrictModes) does), since that account
        could put a symbolic link where a file was, between its rename and the setting of its mode and owner. A sticky
        directory such as C(/tmp) is accepted.
      - Each file arrives privately, as C(.<name>.<job id>.part), created by the module (mode C(0600), never through a
        symbolic link), and takes its name by a rename only once it is complete and verified - the gzip stream read to
        its end (CRC and size), the tar listed (a member header over 1 MiB, and a sparse member, are refused), and the
        SHA1 Atlas gives in
        C(hashes) (legacy jobs show it once the file was downloaded). A file that fails a check is deleted and the task
        fails, naming the file and the check. A symbolic link, or anything but a regular file, under a file's name is
        never written through or replaced - the task fails naming it.
      - Beside each file, a record C(<name>.atlasops.json) (mode C(0600)) names the job and snapshot it came from, its
        link without the key (host and file name, and the SHA-256 of the URL), its size and SHA-256, and the account
        that owns the file. A file counts as this job's only while its record - one of the user the module runs as -
        says so for the same link, and the file still matches it and is a regular file with no other link, owned by
        that user or the account it was handed to (O(owner)). A file of the same name from another job (or one without
        such a record, as another account's in a shared directory) is left alone, and this job's file takes the name
        with the job id before C(.tar.gz) (C(renamed_because) in RV(downloads) says why, and the task warns, also in
        check mode).
      - One task at a time works on a file - a lock C(.<name>.atlasops.lock) beside it. A second task for the same file
        waits up to 300 seconds, then fails naming the lock and the task that holds it.
      - A broken transfer resumes with a C(Range) request from what arrived (up to 5 times); the C(.part) left by an
        earlier run for the same job resumes the same way, when it is a regular file of the user the module runs as.
        Each request uses one of a legacy link's C(maxDownloads); the module stops before the link's expiry or last use
        and says how much of the file arrived.
      - When the files are already there, match their records and verify, nothing is fetched (C(changed=false)); a
        re-run finds the download job even after its link expired or was used up, and starts no new restore.
      - The files are left with mode C(0600) and owned by the user the module runs as; O(mode), O(owner), O(group),
        and the SELinux and attribute options are then applied to each file, and RV(downloads) shows its mode, owner
        and group (in check mode, what they would be; diff mode shows the changes, and a file that arrives as going
        from C(state=absent) - or C(matched_its_record=false) for a copy it replaces - to C(state=file), with its size
        and SHA256). Right before, the module checks that
        the name still is the file it verified (not a symbolic link, nor another account's file); else the task fails.
      - Redirects of a link are followed (up to 5) within its scheme, host and port; never from HTTPS to plain HTTP,
        and never to another host when the link sends its key in a header (legacy C(authHeader)) - the task then fails
        naming the host. A C(Location) with a backslash, whitespace, a control character or a user name, or whose host
        is read differently by C(urllib3) and Python's C(urlsplit), is never followed.
      - Links get no Atlas API credentials. The key of a legacy link (C(delivery.authValue)) is masked in all output.
    type: path
  return_download_urls:
    description:
      - With O(download_dest), the module fetches the files itself and its links are then secrets, since whoever reads
        the output (an AWX job event too) could fetch the database with them until they expire - RV(download_urls) and
        RV(download_links) show each link as its host and file name only (C(host/.../restore-....tar.gz)), and the
        links inside RV(restore_job) show as Ansible's C(no_log) marker. Set V(true) to return them whole.
    type: bool
    default: false
notes:
  - "How the module recognises an existing job (idempotency), per API and source. Where Atlas's answer cannot tell,
    the module errs towards not starting a restore: it takes the job as this task's, warns, and names the job, so
    that O(job_id) can name it exactly from then on."
  - "Cloud, snapshot: same C(deliveryType) (V(automated) or V(download)) and C(snapshotId); automated restores also the
    same C(targetGroupId) and C(targetClusterName). Exact."
  - "Cloud, point in time: C(deliveryType=pointInTime), same target and the same C(pointInTimeUTCSeconds), or the same
    C(oplogTs) and C(oplogInc), or the same C(desiredTimestamp). Exact. A job that shows none of them is taken, with
    a warning."
  - "Flex: same kind (C(deliveryType) V(RESTORE) or V(DOWNLOAD)) and C(snapshotId); restores also the same
    C(targetProjectId) and C(targetDeploymentItemName). Exact."
  - "Legacy, kind of restore: Atlas reports automated restores with C(delivery.methodName=HTTP), like downloads, and
    its documented answers show neither their target nor a download's C(expirationHours)/C(maxDownloads). A legacy job
    counts as a download only when its C(delivery) shows C(expirationHours) or C(maxDownloads); any other job counts
    as an automated restore, so that a restore is never taken for a download."
  - "Legacy, target: when C(delivery) shows C(targetGroupId) and C(targetClusterName) or C(targetClusterId), they must be
    the task's. When it shows none (as Atlas's documented answers), any automated restore of the same source counts
    as this task's job, whichever cluster it went into, with a warning: to restore one snapshot into two clusters
    through the legacy API, start the second with a task that names a different source, or use the Cloud Backup API."
  - "Legacy, snapshot: same C(snapshotId) and kind of delivery (and target, as above)."
  - "Legacy, oplog and point in time: C(oplogTs), C(oplogInc) and C(pointInTimeUTCMillis) are write-only. A job whose
    C(timestamp) is the very second asked for matches when its C(timestamp.increment) is the one asked for; otherwise
    a job matches when it was created at or after the restore point and shows a C(timestamp) no later than it
    (documented answers show the C(snapshotId) the restore started from, and its C(timestamp)). Approximate, with a
    warning."
  - "Legacy, checkpoint: C(checkpointId) is write-only and the job shows nothing that names the checkpoint; any automated
    restore into the same (or an unnamed) target matches. Approximate, with a warning. Use O(job_id) to be exact."
  - Failed, cancelled and expired jobs never match, so a re-run after a failure starts a new restore.
  - A running automated restore into the same target cluster from another source, or into a target Atlas does not
    name, makes the task fail rather than start a second restore into it. Only jobs of the source cluster
    O(cluster_name) are visible to this check.
  - A finished automated restore stays V(finished) when its transfer link later shows C(EXPIRED) or
    C(MAX_DOWNLOADS_EXCEEDED), since the data is in place.
  - While waiting, a poll that fails with no answer, HTTP 429 or 5xx is tried again (after the client's own retries),
    up to 5 failed polls in a row.
  - Atlas refuses to cancel the download restore of a sharded cluster (C(ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED));
    the module says so before sending anything.
  - When the answer to the create request is lost (dropped connection, timeout, HTTP 5xx), the module looks for the
    job before anything else and sends the request again only when no job was created, at most 3 times in all.
seealso:
  - module: atlasops.backup.atlas_restore_job_info
  - module: atlasops.backup.atlas_snapshot_info
    description: Find the snapshot to restore.
  - name: Atlas Administration API, Cloud Backups
    description: The Cloud Backup restore-job endpoints.
    link: https://www.mongodb.com/docs/atlas/reference/api-resources-spec/v2/#tag/Cloud-Backups
  - name: Atlas Administration API, Legacy Backup
    description: The legacy backup restore-job endpoints.
    link: https://www.mongodb.com/docs/atlas/reference/api-resources-spec/v2/#tag/Legacy-Backup
'''

EXAMPLES = r'''
- name: Restore the latest completed snapshot of Cluster0 into staging-cluster, and wait
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: latest
    target_cluster_name: staging-cluster
    public_key: "{{ atlas_public_key }}"
    private_key: "{{ atlas_private_key }}"
  register: refresh

- name: Say which snapshot it restored
  ansible.builtin.debug:
    msg: "{{ refresh.snapshot.id }} of {{ refresh.snapshot.created_at }}"

- name: Restore the last snapshot taken before the bad deploy at 10:42 UTC yesterday
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    # 10:42 UTC yesterday; or a time as written: "2026-11-22T10:42:00Z"
    snapshot_before: "{{ '%Y-%m-%dT10:42:00Z' | ansible.builtin.strftime(now().timestamp() - 86400, utc=true) }}"
    target_cluster_name: staging-cluster

- name: Restore one snapshot by its ID
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: 5a6669d9fcc178211a0d86b9
    delivery_type: automated
    target_cluster_name: staging-cluster

- name: Prepare a download of a snapshot (Cloud Backup) and print the URLs
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: 5a6669d9fcc178211a0d86b9
    delivery_type: download
  register: download

- name: Show where to download the files
  ansible.builtin.debug:
    var: download.download_urls

- name: Make the directory the files go to (download_dest must exist)
  ansible.builtin.file:
    path: ~/atlas-backups
    state: directory
    mode: "0700"
  check_mode: false   # the restore's check mode looks at the directory too

- name: Restore the latest snapshot as files in ~/atlas-backups, fetched and verified
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: latest
    delivery_type: download
    download_dest: ~/atlas-backups
  register: fetched

- name: Print what arrived
  ansible.builtin.debug:
    msg: "{{ fetched.downloads | map(attribute='path') | list }}"

- name: Restore Cluster0 as it was at 10:42 UTC yesterday into staging-cluster (Continuous Cloud Backup)
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    point_in_time: "{{ '%Y-%m-%dT10:42:00Z' | ansible.builtin.strftime(now().timestamp() - 86400, utc=true) }}"
    target_cluster_name: staging-cluster
    wait_timeout: 7200

- name: Restore to an oplog entry of an hour ago, into a cluster of another project (your own project and cluster)
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    oplog_ts: "{{ now().timestamp() | int - 3600 }}"
    oplog_inc: 3
    target_group_id: 6b77777887d9d61443b41645
    target_cluster_name: forensics
  tags: placeholder

- name: Start a restore without waiting, then pick it up later
  module_defaults:
    group/atlasops.backup.atlas:
      group_id: 5a66666887d9d61443b41645
      cluster_name: Cluster0
  block:
    - name: Start it
      atlasops.backup.atlas_restore_job:
        snapshot_id: 5a6669d9fcc178211a0d86b9
        target_cluster_name: staging-cluster
        wait: false
      register: started

    - name: Wait for it (in check mode nothing started, and restore_job is empty)
      atlasops.backup.atlas_restore_job:
        job_id: "{{ started.restore_job.id }}"
        wait_timeout: 10800
      when: started.restore_job.id is defined

- name: Cancel a download restore that is still being prepared
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    job_id: 6b77893b80eef5354c77ee15   # your own job's ID
    state: absent
  tags: placeholder

- name: Restore a snapshot of a Flex cluster into a dedicated cluster (or another Flex cluster)
  atlasops.backup.atlas_restore_job:
    backup_type: flex
    group_id: 5a66666887d9d61443b41645
    cluster_name: flex0
    snapshot_id: 6a6f78e0cab84da5c4476b25
    target_cluster_name: staging-cluster

- name: The download link of a Flex snapshot (valid for four hours)
  atlasops.backup.atlas_restore_job:
    backup_type: flex
    group_id: 5a66666887d9d61443b41645
    cluster_name: flex0
    snapshot_id: 6a6f78e0cab84da5c4476b25
    delivery_type: download
  register: flex_download

- name: Legacy backup, automated restore into a cluster given by ID
  atlasops.backup.atlas_restore_job:
    backup_type: legacy
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: 5a6669d9fcc178211a0d86b9
    target_cluster_id: 5a66689487d9d61443b46149   # your own cluster's ID
  tags: placeholder

- name: Legacy backup, a download link valid for 12 hours and 3 downloads
  atlasops.backup.atlas_restore_job:
    backup_type: legacy
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: 5a6669d9fcc178211a0d86b9
    delivery_type: download
    expiration_hours: 12
    max_downloads: 3

- name: Legacy backup, restore a sharded cluster to a checkpoint
  atlasops.backup.atlas_restore_job:
    backup_type: legacy
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    checkpoint_id: 5a6669d9fcc178211a0d86c2
    target_cluster_name: staging-cluster

- name: Legacy backup, restore to an hour ago (within the last 24 hours), through the deprecated v1.0 API
  atlasops.backup.atlas_restore_job:
    backup_type: legacy
    api_version: v1.0
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    point_in_time: "{{ '%Y-%m-%dT%H:%M:%SZ' | ansible.builtin.strftime(now().timestamp() | int - 3600, utc=true) }}"
    target_cluster_name: staging-cluster

- name: See which cluster a restore would overwrite, without starting it
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: 5a6669d9fcc178211a0d86b9
    target_cluster_name: Cluster0
    allow_overwrite_source: true
  check_mode: true
  diff: true

- name: Restore into a cluster that is still changing, knowingly (the other pre-flight checks still run)
  atlasops.backup.atlas_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: latest
    target_cluster_name: staging-cluster
    skip_checks: [target_state]
  register: restored

- name: The target is usable from this moment
  ansible.builtin.debug:
    # Returned when the task waited for the job; a job that had ended before the task left an idle target.
    msg: "{{ restored.target_idle_at | default('idle before this task began') }}"
  when: not ansible_check_mode
'''

RETURN = r'''
conflicting_job:
  description:
    - The restore already running into the target that made the task fail, as Atlas returned it plus C(status). The
      task started nothing and left that job alone; wait for it (O(job_id)), then run the task again.
    - Kept out of RV(restore_job), so that a C(rescue) cancelling C(restore_job.id) cannot cancel another restore.
  returned: on failure, when another restore is running into the target and a restore job list the task reads shows
    it (when Atlas refuses the restore for one started from another cluster, the message says so and there is no
    RV(conflicting_job))
  type: dict
  sample:
    id: 6b77893b80eef5354c77ee15
    deliveryType: automated
    snapshotId: 5a6669d9fcc178211a0d86b9
    targetClusterName: staging-cluster
    targetGroupId: 5a66666887d9d61443b41645
    status: in_progress
preflight:
  description:
    - On a failure of the pre-flight checks, every problem found, each with the C(check) that found it, its
      C(message) (the values seen on both sides) and the C(options) to change.
  returned: when the pre-flight checks refused the restore
  type: list
  elements: dict
  sample:
    - check: topology
      message: snapshot 5a6669d9fcc178211a0d86e2 is of a sharded cluster and target cluster staging-cluster is a
        REPLICASET; Atlas cannot restore a sharded snapshot into a replica set
      options: [target_cluster_name]
target_idle_at:
  description:
    - When the target cluster of an automated restore became C(IDLE) again after the restore ended (ISO 8601 UTC);
      the cluster is usable from then on. The task waits for it within O(wait_timeout).
  returned: when an automated restore was waited for to its end
  type: str
  sample: '2026-08-10T04:12:40Z'
snapshot:
  description:
    - The snapshot the task picked for O(snapshot_id=latest) or O(snapshot_before), as Atlas returned it plus
      C(status) and C(created_at) (see the M(atlasops.backup.atlas_snapshot_info) module).
  returned: when O(snapshot_id=latest) or O(snapshot_before) is set
  type: dict
  sample:
    id: 6a7944f22c88faeba59d3572
    createdAt: '2026-11-22T03:28:08Z'
    snapshotType: scheduled
    status: completed
    created_at: '2026-11-22T03:28:08Z'
restore_job:
  description:
    - The restore job as Atlas returned it, plus C(status). For a legacy restore of a sharded cluster, the first job
      of the batch (all of them are in RV(restore_jobs)).
    - A Flex job's own C(status) (V(PENDING), V(QUEUED), V(RUNNING), V(COMPLETED), V(FAILED)) is kept as C(atlas_status).
    - Empty in check mode when a job would be created, and when the task failed because another restore is running
      into the target (that job is RV(conflicting_job), not this one).
  returned: always
  type: dict
  sample:
    id: 6b77893b80eef5354c77ee15
    cancelled: false
    createdAt: '2026-11-22T10:05:41Z'
    deliveryType: automated
    expired: false
    failed: false
    finishedAt: '2026-11-22T10:31:02Z'
    snapshotId: 5a6669d9fcc178211a0d86b9
    targetClusterName: staging-cluster
    targetGroupId: 5a66666887d9d61443b41645
    status: finished
restore_jobs:
  description: Every job the request made or matched (legacy sharded restores create one job per shard).
  returned: always
  type: list
  elements: dict
status:
  description:
    - The normalized status of RV(restore_job), the same for both APIs and for P(atlasops.backup.atlas_restore_job_info#module)
      - V(pending), V(in_progress), V(finished), V(failed), V(cancelled) or V(expired).
    - Empty in check mode when a job would be created.
  returned: always
  type: str
  sample: finished
download_urls:
  description:
    - The URLs to download the restored files from, for download restores that are ready (every job's, for a legacy
      sharded restore).
    - Cloud C(deliveryUrl) (one string or a list), the C(downloadUrl) of each component of a sharded cluster (Atlas
      shows null once a link was used or expired), legacy C(delivery.urlV2), or the deprecated C(delivery.url) when
      there is no C(urlV2).
    - With O(download_dest) (and not O(return_download_urls)), each is its host and file name only; its key is left
      out.
  returned: always
  type: list
  elements: str
  sample: ['https://restore.example.com/restore-6b77893b80eef5354c77ee15.tar.gz']
download_links:
  description:
    - The same links as RV(download_urls), each with the HTTP headers a download must send.
    - A legacy C(delivery.urlV2) needs the header Atlas names in C(delivery.authHeader), with the value of
      C(delivery.authValue). That value is a secret, masked in all output of the module; set O(download_dest) to let
      the module fetch the files.
  returned: always
  type: list
  elements: dict
  contains:
    url:
      description: The URL.
      type: str
    headers:
      description: Header names and values to send with the request; empty when none is needed.
      type: dict
  sample: [{url: 'https://restore.example.com/restore-6b77893b80eef5354c77ee15.tar.gz', headers: {}}]
downloads:
  description:
    - With O(download_dest), every file of the restore, verified (in check mode, the files missing have only C(path),
      C(name), C(fetched=false), an empty C(verified), C(mode), C(owner), C(group), and C(renamed_because) and
      C(replaced) when they apply).
  returned: when O(download_dest) is set
  type: list
  elements: dict
  contains:
    path:
      description: Where the file is.
      type: str
    name:
      description: The file's name.
      type: str
    bytes:
      description: Its size.
      type: int
    sha1:
      description: Its SHA1, hexadecimal.
      type: str
    sha256:
      description: Its SHA256, hexadecimal.
      type: str
    members:
      description: How many entries its tar lists.
      type: int
    verified:
      description: The checks it passed - V(gzip), V(tar), and V(sha1) when Atlas gave the file's SHA1.
      type: list
      elements: str
    fetched:
      description: Whether this run fetched it (V(false) - it was already there, matched its record and verified).
      type: bool
    renamed_because:
      description:
        - Why the file is not under the name of its link - the name held the file of another job, or a file
          without a record, which was left alone. The file's name then has the job id before C(.tar.gz).
        - Only when it was renamed.
      type: str
    replaced:
      description:
        - V(true) when the name held a copy of this job's file that no longer matched its record (changed or cut
          short since an earlier run), and the file fetched now took its place (in check mode, would take it); the
          task warns.
        - Only when that happened.
      type: bool
    mode:
      description: Its permissions, in octal (in check mode, what they would be).
      type: str
    owner:
      description: The name of its owner (in check mode, what it would be).
      type: str
    group:
      description: The name of its group (in check mode, what it would be).
      type: str
  sample:
    - path: /backups/restore-5a6669d9fcc178211a0d86b9.tar.gz
      name: restore-5a6669d9fcc178211a0d86b9.tar.gz
      mode: '0600'
      owner: root
      group: root
      bytes: 263728
      sha1: 4f0c5b0c2f5ea3ad1e8e3a5c1d6e5b0e1a3c2d4f
      sha256: 0d5b1ec4a5b8f2f6f2b5d3a1e4c0b9a8f7e6d5c4b3a2918f7e6d5c4b3a291807
      members: 1
      verified: [gzip, tar]
      fetched: true
request_body:
  description:
    - The create-job body the module built for the source and destination, in the encoding of O(api_version).
      It was sent only when C(changed) is true and O(state=present) without O(job_id).
    - Empty with O(job_id).
  returned: always
  type: dict
  sample:
    deliveryType: automated
    snapshotId: 5a6669d9fcc178211a0d86b9
    targetClusterName: staging-cluster
    targetGroupId: 5a66666887d9d61443b41645
job_match:
  description:
    - How the task came by its job.
    - V(created) - it started a new one (in check mode - it would).
    - V(exact) - it found a job that shows everything the task asks for, and started nothing.
    - V(approximate) - it found a job Atlas's answer cannot fully tell apart, took it rather than restore twice, and
      warned; name it with O(job_id) from then on.
    - V(named) - O(job_id) named it.
    - V(superseded) - a job that matched was superseded by a newer restore into the same target from another source,
      so a new restore was started (in check mode - it would); RV(restore_job) is the new one, RV(superseded) names
      both.
    - V(none) - there is no job (O(state=absent) with nothing to cancel).
  returned: always
  type: str
  choices: [created, exact, approximate, superseded, named, none]
  sample: exact
overwrites:
  description: The cluster an automated restore replaces the data of, in words; empty for downloads and with O(job_id).
  returned: always
  type: str
  sample: staging-cluster in project 5a66666887d9d61443b41645
superseded:
  description:
    - The job that had matched this task and the newer restore that wrote into the same target from another source
      after it, so that a new restore was started (RV(job_match=superseded)).
    - C(by.source) names what the newer job restored (a snapshot, a point in time or an oplog entry).
  returned: when RV(job_match=superseded)
  type: dict
  contains:
    job:
      description: The job that had matched (C(id), C(status)).
      type: dict
      returned: always
    by:
      description: The newer job (C(id), C(status), C(source)).
      type: dict
      returned: always
  sample:
    job: {id: 6b0e9aa737e80343fb456da0, status: finished}
    by: {id: 6b0e9aac4570adc107e19594, status: finished, source: snapshot 5a6669d9fcc178211a0d86b9}
status_history:
  description: The statuses seen while waiting, each with the time it was first seen.
  returned: when the module waited
  type: list
  elements: dict
  sample: [{status: in_progress, seen_at: '2026-11-22T10:05:43Z'}, {status: finished, seen_at: '2026-11-22T10:31:05Z'}]
undo:
  description:
    - The target's snapshot taken before the restore (O(undo_snapshot=true)), and the task that restores it.
  returned: when O(undo_snapshot=true) and the task started (or, in check mode, would start) a restore, or found
    the restore job an earlier run started
  type: dict
  contains:
    taken:
      description: Whether the task took the snapshot (in check mode - would take it); V(false) when it found the one
        an earlier run took for this restore.
      type: bool
      returned: always
    description:
      description: The snapshot's description, which names the restore.
      type: str
      returned: always
    snapshot_id:
      description: ID of the undo snapshot; V(null) in check mode before it is taken.
      type: str
      returned: always
    snapshot:
      description: The snapshot (C(id), C(type), C(status), C(description), C(created_at), C(expires_at),
        C(age_seconds)); V(null) in check mode before it is taken.
      type: dict
      returned: always
    restore_task:
      description:
        - The options of the M(atlasops.backup.atlas_restore_job) task that restores the snapshot into the target
          (the connection options aside) - run it as given to undo the restore. V(null) in check mode before the
          snapshot is taken.
      type: dict
      returned: always
    restore_task_yaml:
      description: The same task as YAML, to paste into a playbook.
      type: str
      returned: always
  sample:
    taken: true
    description: 'atlasops.backup undo 3f1c9a0be2d4: staging-cluster before the restore from Cluster0 in project
      5a66666887d9d61443b41645'
    snapshot_id: 6b0e9aa737e80343fb456da5
    snapshot: {id: 6b0e9aa737e80343fb456da5, type: on_demand, status: completed, age_seconds: 4}
    restore_task:
      group_id: 5a66666887d9d61443b41645
      cluster_name: staging-cluster
      backup_type: cloud
      snapshot_id: 6b0e9aa737e80343fb456da5
      delivery_type: automated
      target_group_id: 5a66666887d9d61443b41645
      target_cluster_name: staging-cluster
      allow_overwrite_source: true
'''

import grp
import os
import pwd
import stat

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_module import (
    create_client,
    create_module,
    exit_with_outcome,
    fail_from_exception,
    hide_link_keys,
)
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import BACKUP_TYPES, family_for
from ansible_collections.atlasops.backup.plugins.module_utils.download_files import check_held, note_file_owner
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasOpsError, TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.preflight import SKIPPABLE
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import empty_result, run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import DELIVERY_TYPES

SPEC_OPTIONS = ('snapshot_id', 'snapshot_before', 'point_in_time', 'oplog_ts', 'oplog_inc', 'checkpoint_id',
                'delivery_type', 'target_cluster_name', 'target_cluster_id', 'target_group_id', 'expiration_hours',
                'max_downloads')


# The module's own options (the connection options come from atlas_module); run_restore gets them all.
ARGUMENT_SPEC = dict(
    undo_snapshot=dict(type='bool', default=False),
    undo_snapshot_retention_days=dict(type='int', default=7),
    backup_type=dict(type='str', default='cloud', choices=list(BACKUP_TYPES)),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    job_id=dict(type='str'),
    snapshot_id=dict(type='str'),
    snapshot_before=dict(type='raw'),
    point_in_time=dict(type='raw'),
    oplog_ts=dict(type='raw'),
    oplog_inc=dict(type='int'),
    checkpoint_id=dict(type='str'),
    delivery_type=dict(type='str', choices=list(DELIVERY_TYPES)),
    target_cluster_name=dict(type='str'),
    target_cluster_id=dict(type='str'),
    target_group_id=dict(type='str'),
    expiration_hours=dict(type='int'),
    max_downloads=dict(type='int'),
    allow_overwrite_source=dict(type='bool', default=False),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=3600),
    skip_checks=dict(type='list', elements='str', default=[], choices=list(SKIPPABLE)),
    download_dest=dict(type='path'),
    return_download_urls=dict(type='bool', default=False),
)


def _name_of(lookup, number):
    try:
        return lookup(number)[0]
    except KeyError:
        return str(number)


def _file_facts(path):
    status = os.lstat(path)  # the name's own facts: a link put there would show another file's
    return {'mode': '%04o' % stat.S_IMODE(status.st_mode), 'owner': _name_of(pwd.getpwuid, status.st_uid),
            'group': _name_of(grp.getgrgid, status.st_gid)}


def _planned_facts(params, diff, path=None):
    """The mode, owner and group a file will have (check mode); ``path`` None: a file yet to arrive, 0600 and ours."""
    if path is None:
        facts = {'mode': str(params['mode']) if params['mode'] is not None else '0600',
                 'owner': _name_of(pwd.getpwuid, os.geteuid()), 'group': _name_of(grp.getgrgid, os.getegid())}
    else:
        facts = dict(_file_facts(path), **{key: diff['after'][key] for key in ('mode',) if key in diff['after']})
    facts.update({key: params[key] for key in ('owner', 'group') if params[key]})
    return facts


def apply_file_attributes(module, outcome):
    """mode, owner, group, SELinux context and attributes on every file of the result; each entry says what it has.

    The files arrive 0600 (restore_downloads): the options then open them up, or hand them over, as asked.
    """
    before, after = {}, {}
    for entry in outcome.downloads or []:
        diff = {'before': {}, 'after': {}}
        on_disk = 'bytes' in entry  # check mode lists the files still to come without
        arriving = entry.get('fetched') or not on_disk  # new under this name in this run (check mode: it would be)
        if on_disk:
            held = check_held(entry['path'])
            file_args = module.load_file_common_arguments(module.params, path=entry['path'])
            outcome.changed = module.set_fs_attributes_if_different(file_args, outcome.changed, diff)
            if not module.check_mode:
                note_file_owner(entry['path'], held)
        if module.check_mode or not on_disk:
            entry.update(_planned_facts(module.params, diff, entry['path'] if on_disk else None))
        else:
            entry.update(_file_facts(entry['path']))
        if arriving:
            # Its "before" is that it was not there (or was a copy that no longer matched), not the 0600 it came with.
            before[entry['path']] = {'state': 'file', 'matched_its_record': False} if entry.get('replaced') else \
                {'state': 'absent'}
            after[entry['path']] = dict({'state': 'file'}, **{key: entry[key] for key in (
                'mode', 'owner', 'group', 'bytes', 'sha256') if key in entry})
        elif diff['after']:
            before[entry['path']], after[entry['path']] = diff['before'], diff['after']
    if after:  # the flow's before and after may be one dict
        outcome.before, outcome.after = dict(outcome.before, files=before), dict(outcome.after, files=after)


def main():
    module = create_module(
        ARGUMENT_SPEC,
        mutually_exclusive=[('job_id', option) for option in SPEC_OPTIONS],
        supports_check_mode=True,
        add_file_common_args=True,
    )
    family = family_for(module.params['backup_type'])
    try:
        outcome = run_restore(module.params, lambda: create_client(module), check_mode=module.check_mode)
    except AtlasOpsError as exc:
        fail_from_exception(module, exc, family, **empty_result())
    except (OSError, ValueError) as exc:  # a hostile answer or a file swapped at the wrong moment: no traceback
        module.fail_json(msg='%s: %s' % (type(exc).__name__, exc), **empty_result())
    hide_link_keys(module, family, outcome.jobs)
    try:
        apply_file_attributes(module, outcome)
    except (OSError, TransferError) as exc:
        module.fail_json(msg='download_dest: cannot set the attributes of the files: %s' % exc, **outcome.result())
    exit_with_outcome(module, outcome)


if __name__ == '__main__':
    main()
