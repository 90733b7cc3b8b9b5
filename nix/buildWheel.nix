# Builds one repaired, verified wheel for one target. `$out` holds the wheel
# (one per interpreter when pythonVersions is set).
#
# Arguments: the options of lib/data/options.nix whose builds include "wheel"
# (`src` and `target` required), each defined and documented there once.
{buildArtifact}: args: buildArtifact (args // {kind = "wheel";})
