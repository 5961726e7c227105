{{- define "kubemate-target.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: kubemate-target
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kubemate
{{- with .Values.labels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* <release>-<role>: the cluster-scoped objects' names */}}
{{- define "kubemate-target.name" -}}
{{- printf "%s-%s" .root.Release.Name .role | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kubemate-target.subjects" -}}
{{- range . }}
- apiGroup: rbac.authorization.k8s.io
  kind: {{ .kind }}
  name: {{ .name | quote }}
{{- end }}
{{- end }}
