import {
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
} from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { logsTranslationRef } from '../../translation';
import { Builder, FilterOp, Level, Parser } from '../../lib/query';

/** The query builder: level, line filter (operator and text) and parser. */
export function QueryBuilder(props: {
  value: Builder;
  onChange: (patch: Partial<Builder>) => void;
}) {
  const { value: builder, onChange: set } = props;
  const { t } = useTranslationRef(logsTranslationRef);
  return (
    <>
      <FormControl variant="outlined" size="small" style={{ minWidth: 120 }}>
        <InputLabel id="logs-level-label">{t('builder.level')}</InputLabel>
        <Select
          labelId="logs-level-label"
          id="logs-level"
          label={t('builder.level')}
          value={builder.level}
          onChange={e => set({ level: e.target.value as Level })}
        >
          <MenuItem value="">{t('builder.levels.all')}</MenuItem>
          <MenuItem value="error">{t('builder.levels.error')}</MenuItem>
          <MenuItem value="warn">{t('builder.levels.warn')}</MenuItem>
          <MenuItem value="info">{t('builder.levels.info')}</MenuItem>
          <MenuItem value="debug">{t('builder.levels.debug')}</MenuItem>
        </Select>
      </FormControl>
      <FormControl variant="outlined" size="small" style={{ minWidth: 150 }}>
        <InputLabel id="logs-op-label">{t('builder.lineFilter')}</InputLabel>
        <Select
          labelId="logs-op-label"
          id="logs-op"
          label={t('builder.lineFilter')}
          value={builder.filterOp}
          onChange={e => set({ filterOp: e.target.value as FilterOp })}
        >
          <MenuItem value="|=">{t('builder.ops.contains')}</MenuItem>
          <MenuItem value="!=">{t('builder.ops.notContains')}</MenuItem>
          <MenuItem value="|~">{t('builder.ops.matches')}</MenuItem>
          <MenuItem value="!~">{t('builder.ops.notMatches')}</MenuItem>
        </Select>
      </FormControl>
      <TextField
        id="logs-filter"
        label={t('builder.text')}
        variant="outlined"
        size="small"
        value={builder.filter}
        onChange={e => set({ filter: e.target.value })}
      />
      <FormControl variant="outlined" size="small" style={{ minWidth: 120 }}>
        <InputLabel id="logs-parser-label">{t('builder.parser')}</InputLabel>
        <Select
          labelId="logs-parser-label"
          id="logs-parser"
          label={t('builder.parser')}
          value={builder.parser}
          onChange={e => set({ parser: e.target.value as Parser })}
        >
          <MenuItem value="">{t('builder.parsers.none')}</MenuItem>
          <MenuItem value="logfmt">{t('builder.parsers.logfmt')}</MenuItem>
          <MenuItem value="json">{t('builder.parsers.json')}</MenuItem>
        </Select>
      </FormControl>
    </>
  );
}
