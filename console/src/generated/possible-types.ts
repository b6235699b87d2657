
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "BadUserInputError",
      "EditionNotSupportedError",
      "FailoverInProgressError",
      "ForbiddenError",
      "IdempotencyKeyReusedError",
      "InvalidRestoreTargetError",
      "NotFoundError",
      "ReplicaNotReadyError",
      "UpstreamRejectedError",
      "UpstreamUnavailableError"
    ],
    "FailoverPayload": [
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
      "UpstreamUnavailableError"
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
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "BadUserInputError",
      "EditionNotSupportedError",
      "FailoverInProgressError",
      "ForbiddenError",
      "IdempotencyKeyReusedError",
      "InvalidRestoreTargetError",
      "NotFoundError",
      "ReplicaNotReadyError",
      "UpstreamRejectedError",
      "UpstreamUnavailableError"
    ],
    "FailoverPayload": [
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
      "UpstreamUnavailableError"
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
    ]
  }
};
      export default result;
    