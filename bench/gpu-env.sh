# Sourced (bash) on a GPU machine from the project root, after bench/gpu-pack.sh filled .device/:
#   source .device/env.sh
# Unpacks the OpenCL ICD loader that gpu-pack.sh brought, registers the GPU drivers it finds (the
# machine's own /etc/OpenCL/vendors, and NVIDIA's libnvidia-opencl.so.1 even where no .icd file names
# it, as on some container images), puts the packed Java runtime first on PATH and the jars in
# $MP3_CP, then lists the OpenCL platforms. MP3_WITH_POCL=1 keeps PoCL (a CPU runtime) beside them.
_d=$(pwd)/.device
_o=/tmp/mp3-opencl
mkdir -p "$_o/vendors"
rm -f "$_o"/vendors/*.icd
for _f in "$_d"/debs/*.deb; do dpkg -x "$_f" "$_o"; done
_l="$_o/usr/lib/x86_64-linux-gnu"
ln -sf libOpenCL.so.1 "$_l/libOpenCL.so"
export LD_LIBRARY_PATH="$_l${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
for _f in /etc/OpenCL/vendors/*.icd; do
  [ -e "$_f" ] || continue
  case "$_f" in *pocl*) [ "${MP3_WITH_POCL:-0}" = 1 ] || continue ;; esac
  cp "$_f" "$_o/vendors/"
done
if ! grep -qs nvidia "$_o"/vendors/*.icd; then
  _nv=$(ldconfig -p | grep -o '/.*libnvidia-opencl.so.1' | head -1)
  [ -n "$_nv" ] || _nv=$(find / -xdev -name 'libnvidia-opencl.so.1' 2>/dev/null | head -1)
  [ -n "$_nv" ] && echo "$_nv" > "$_o/vendors/nvidia.icd"
fi
export OCL_ICD_VENDORS="$_o/vendors"
export JAVA_HOME="$_d/jre" PATH="$_d/jre/bin:$PATH"
export MP3_CP="$_d/lib/*"
if ! ls "$_o"/vendors/*.icd >/dev/null 2>&1; then
  echo "gpu-env: no OpenCL driver found (no /etc/OpenCL/vendors/*.icd, no libnvidia-opencl.so.1); MP3_WITH_POCL=1 uses PoCL" >&2
fi
"$_o/usr/bin/clinfo" -l
unset _d _o _f _l _nv
