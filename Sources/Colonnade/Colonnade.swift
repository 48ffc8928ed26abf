// The umbrella module: `import Colonnade` brings in every public module.
@_exported import ColumnStore
@_exported import Indicators
@_exported import Execution
@_exported import Analytics
@_exported import Engine
@_exported import StrategySpec
@_exported import NaturalLanguage
@_exported import Reports
