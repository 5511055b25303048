/* /api/v1 routes of documents: an owner's list and upload (multipart,
 * field "file"), one document and its file. */
#ifndef FC_APP_DOCUMENTS_API_H
#define FC_APP_DOCUMENTS_API_H

#include "http.h"

int	documents_api_vehicle_list(struct request *);
int	documents_api_vehicle_create(struct request *);
int	documents_api_driver_list(struct request *);
int	documents_api_driver_create(struct request *);
int	documents_api_show(struct request *);
int	documents_api_file(struct request *);

#endif
