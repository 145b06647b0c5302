# local/bookworm: the imported debootstrap tree (local/bookworm-rootfs) made a container base:
# Debian's security and point-release updates applied, apt configured as the official debian
# images configure it (no recommends, no caches, no services started by package scripts).
ARG ROOTFS=local/bookworm-rootfs
FROM ${ROOTFS}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN printf '%s\n' \
      'deb http://deb.debian.org/debian bookworm main' \
      'deb http://deb.debian.org/debian bookworm-updates main' \
      'deb http://deb.debian.org/debian-security bookworm-security main' > /etc/apt/sources.list \
 && printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \
 && printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > /etc/apt/apt.conf.d/90container \
 && printf 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };\nAcquire::Languages "none";\n' > /etc/apt/apt.conf.d/91container-clean \
 && apt-get update && apt-get -y upgrade \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/dpkg.log /var/cache/debconf/*-old
CMD ["bash"]
