
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "ActionNotSupportedError",
      "BadUserInputError",
      "EditionNotSupportedError",
      "FailoverInProgressError",
      "ForbiddenError",
      "IdempotencyKeyReusedError",
      "InvalidRestoreTargetError",
      "NotFoundError",
      "ReplicaNotReadyError",
      "UpstreamRejectedError",
      "UpstreamUnavailableError",
      "WrongReplicaStateError"
    ],
    "FailoverPayload": [
      "ActionNotSupportedError",
      "BadUserInputError",
      "EditionNotSupportedError",
      "FailoverDryRun",
      "FailoverInProgressError",
      "FailoverStarted",
      "ForbiddenError",
      "IdempotencyKeyReusedError",
      "InvalidRestoreTargetError",
      "NotFoundError",
      "ReplicaNotReadyError",
      "UpstreamRejectedError",
      "UpstreamUnavailableError",
      "WrongReplicaStateError"
    ],
    "Node": [
      "Account",
      "BackupServer",
      "CdpVmReplica",
      "FailoverOperation",
      "RestorePoint",
      "VcdCdpVAppReplica",
      "VcdVAppReplica",
      "VmReplica"
    ],
    "Replica": [
      "CdpVmReplica",
      "VcdCdpVAppReplica",
      "VcdVAppReplica",
      "VmReplica"
    ],
    "ReplicaActionPayload": [
      "ActionNotSupportedError",
      "BadUserInputError",
      "EditionNotSupportedError",
      "FailoverInProgressError",
      "ForbiddenError",
      "IdempotencyKeyReusedError",
      "InvalidRestoreTargetError",
      "NotFoundError",
      "ReplicaActionDryRun",
      "ReplicaActionStarted",
      "ReplicaNotReadyError",
      "UpstreamRejectedError",
      "UpstreamUnavailableError",
      "WrongReplicaStateError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "ActionNotSupportedError",
      "BadUserInputError",
      "EditionNotSupportedError",
      "FailoverInProgressError",
      "ForbiddenError",
      "IdempotencyKeyReusedError",
      "InvalidRestoreTargetError",
      "NotFoundError",
      "ReplicaNotReadyError",
      "UpstreamRejectedError",
      "UpstreamUnavailableError",
      "WrongReplicaStateError"
    ],
    "FailoverPayload": [
      "ActionNotSupportedError",
      "BadUserInputError",
      "EditionNotSupportedError",
      "FailoverDryRun",
      "FailoverInProgressError",
      "FailoverStarted",
      "ForbiddenError",
      "IdempotencyKeyReusedError",
      "InvalidRestoreTargetError",
      "NotFoundError",
      "ReplicaNotReadyError",
      "UpstreamRejectedError",
      "UpstreamUnavailableError",
      "WrongReplicaStateError"
    ],
    "Node": [
      "Account",
      "BackupServer",
      "CdpVmReplica",
      "FailoverOperation",
      "RestorePoint",
      "VcdCdpVAppReplica",
      "VcdVAppReplica",
      "VmReplica"
    ],
    "Replica": [
      "CdpVmReplica",
      "VcdCdpVAppReplica",
      "VcdVAppReplica",
      "VmReplica"
    ],
    "ReplicaActionPayload": [
      "ActionNotSupportedError",
      "BadUserInputError",
      "EditionNotSupportedError",
      "FailoverInProgressError",
      "ForbiddenError",
      "IdempotencyKeyReusedError",
      "InvalidRestoreTargetError",
      "NotFoundError",
      "ReplicaActionDryRun",
      "ReplicaActionStarted",
      "ReplicaNotReadyError",
      "UpstreamRejectedError",
      "UpstreamUnavailableError",
      "WrongReplicaStateError"
    ]
  }
};
      export default result;
    