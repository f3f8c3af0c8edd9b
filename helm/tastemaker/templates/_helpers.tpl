{{/* Names and labels shared by every manifest. */}}
{{- define "tastemaker.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tastemaker.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one role (api or ingest). */}}
{{- define "tastemaker.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "tastemaker.secretName" -}}
{{- default (include "tastemaker.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{/* The Secret holding the first operator key, when one is given. */}}
{{- define "tastemaker.bootstrapSecretName" -}}
{{- default (printf "%s-bootstrap" (include "tastemaker.fullname" .)) .Values.bootstrapOperatorKey.existingSecret -}}
{{- end -}}

{{- define "tastemaker.bootstrapKeyGiven" -}}
{{- if or .Values.bootstrapOperatorKey.existingSecret .Values.bootstrapOperatorKey.value }}true{{ end -}}
{{- end -}}
