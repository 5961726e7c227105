import {
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
} from '@material-ui/core';
import { Builder, FilterOp, Level, Parser } from '../../lib/query';

/** The query builder: level, line filter (operator and text) and parser. */
export function QueryBuilder(props: {
  value: Builder;
  onChange: (patch: Partial<Builder>) => void;
}) {
  const { value: builder, onChange: set } = props;
  return (
    <>
      <FormControl variant="outlined" size="small" style={{ minWidth: 120 }}>
        <InputLabel id="logs-level-label">Level</InputLabel>
        <Select
          labelId="logs-level-label"
          id="logs-level"
          label="Level"
          value={builder.level}
          onChange={e => set({ level: e.target.value as Level })}
        >
          <MenuItem value="">all</MenuItem>
          <MenuItem value="error">error</MenuItem>
          <MenuItem value="warn">warn</MenuItem>
          <MenuItem value="info">info</MenuItem>
          <MenuItem value="debug">debug</MenuItem>
        </Select>
      </FormControl>
      <FormControl variant="outlined" size="small" style={{ minWidth: 150 }}>
        <InputLabel id="logs-op-label">Line filter</InputLabel>
        <Select
          labelId="logs-op-label"
          id="logs-op"
          label="Line filter"
          value={builder.filterOp}
          onChange={e => set({ filterOp: e.target.value as FilterOp })}
        >
          <MenuItem value="|=">contains |=</MenuItem>
          <MenuItem value="!=">does not contain !=</MenuItem>
          <MenuItem value="|~">matches regex |~</MenuItem>
          <MenuItem value="!~">does not match !~</MenuItem>
        </Select>
      </FormControl>
      <TextField
        id="logs-filter"
        label="Text"
        variant="outlined"
        size="small"
        value={builder.filter}
        onChange={e => set({ filter: e.target.value })}
      />
      <FormControl variant="outlined" size="small" style={{ minWidth: 120 }}>
        <InputLabel id="logs-parser-label">Parser</InputLabel>
        <Select
          labelId="logs-parser-label"
          id="logs-parser"
          label="Parser"
          value={builder.parser}
          onChange={e => set({ parser: e.target.value as Parser })}
        >
          <MenuItem value="">none</MenuItem>
          <MenuItem value="logfmt">logfmt</MenuItem>
          <MenuItem value="json">json</MenuItem>
        </Select>
      </FormControl>
    </>
  );
}
