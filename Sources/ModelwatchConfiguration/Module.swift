// ModelwatchConfiguration: the bottom of modelwatch's own modules. It turns the YAML file, the environment and
// the flags into one immutable, validated `JobConfiguration` (`ConfigLoader`), with errors that name the key
// (`ConfigError`), and the small pure helpers the configuration needs (`TimeText`, `Suggestion`). It reads no
// data: the sources (`ModelwatchSources`) and the job (`ModelwatchJob`) sit above it, so the data flows one way.
